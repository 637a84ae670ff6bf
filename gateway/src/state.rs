//! What every handler shares: the configuration, the Zuora client, the store and the
//! poller that browser polls and the follower share.

use std::sync::Arc;

use crate::config::Config;
use crate::follow::Poller;
use crate::store::Store;
use crate::upstream::Zuora;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

struct Shared {
    config: Config,
    zuora: Zuora,
    poller: Poller<Zuora>,
}

impl AppState {
    pub fn new(config: Config, zuora: Zuora, poller: Poller<Zuora>) -> AppState {
        AppState(Arc::new(Shared {
            config,
            zuora,
            poller,
        }))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn zuora(&self) -> &Zuora {
        &self.0.zuora
    }

    pub fn store(&self) -> &Store {
        self.0.poller.store()
    }

    pub fn poller(&self) -> &Poller<Zuora> {
        &self.0.poller
    }
}
