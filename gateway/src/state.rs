//! What every handler shares: the configuration and the Zuora client.

use std::sync::Arc;

use crate::config::Config;
use crate::upstream::Zuora;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

struct Shared {
    config: Config,
    zuora: Zuora,
}

impl AppState {
    pub fn new(config: Config, zuora: Zuora) -> AppState {
        AppState(Arc::new(Shared { config, zuora }))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn zuora(&self) -> &Zuora {
        &self.0.zuora
    }
}
