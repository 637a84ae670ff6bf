//! The task that follows every mass action to its end, whether or not a browser is
//! open: it claims keys in the store, polls each through the shared [`Poller`] and
//! lets a key go once its status has ended.

use std::time::{Duration, Instant};

use mass_updater_domain::MassActionResult;
use tokio::task::JoinHandle;

use super::{Poller, StatusSource, UpstreamReply};

/// How a follower paces itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowerSettings {
    /// This instance's name in the store's leases; unique per running gateway.
    pub instance: String,
    /// Time between two polls of one mass action.
    pub interval: Duration,
    /// Mass actions polled per round at most.
    pub batch: u32,
    /// How long a claim holds if this instance stops renewing it (it dies, say). Keep
    /// it well above the longest an upstream request may take.
    pub lease: Duration,
}

impl FollowerSettings {
    /// A batch of 50 and a lease of five intervals (at least a minute).
    pub fn new(instance: impl Into<String>, interval: Duration) -> FollowerSettings {
        FollowerSettings {
            instance: instance.into(),
            interval,
            batch: 50,
            lease: (interval * 5).max(Duration::from_secs(60)),
        }
    }
}

/// Longest pause after repeated store failures.
const MAX_BACK_OFF: Duration = Duration::from_secs(60);

pub struct Follower;

impl Follower {
    /// Starts following with the defaults of [`FollowerSettings::new`]. Abort the
    /// handle to stop.
    pub fn spawn<S: StatusSource>(
        poller: Poller<S>,
        instance: impl Into<String>,
        interval: Duration,
    ) -> JoinHandle<()> {
        Follower::spawn_with(poller, FollowerSettings::new(instance, interval))
    }

    pub fn spawn_with<S: StatusSource>(
        poller: Poller<S>,
        settings: FollowerSettings,
    ) -> JoinHandle<()> {
        tokio::spawn(run(poller, settings))
    }
}

async fn run<S: StatusSource>(poller: Poller<S>, settings: FollowerSettings) {
    let interval = settings.interval.max(Duration::from_millis(1));
    let mut failures: u32 = 0;
    loop {
        let claimed = poller
            .store()
            .claim_to_follow(&settings.instance, settings.lease, settings.batch)
            .await;
        let keys = match claimed {
            Ok(keys) => {
                failures = 0;
                keys
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let pause = back_off(interval, failures);
                eprintln!(
                    "mass-updater-gateway: follower {}: {e} Trying again in {} ms.",
                    settings.instance,
                    pause.as_millis()
                );
                tokio::time::sleep(pause).await;
                continue;
            }
        };
        if keys.is_empty() {
            tokio::time::sleep(interval).await;
            continue;
        }
        // Spread the round's polls over the interval rather than sending them at once.
        let gap = interval / u32::try_from(keys.len()).unwrap_or(u32::MAX);
        let round = Instant::now();
        for key in keys {
            // A slow Zuora can stretch a round; the rest waits for a fresh claim rather
            // than being polled under a lease that may have passed to another instance.
            if round.elapsed() >= settings.lease / 2 {
                break;
            }
            follow_once(&poller, &settings.instance, &key).await;
            tokio::time::sleep(gap).await;
        }
    }
}

/// One poll of one key; the key is released once its mass action has ended.
async fn follow_once<S: StatusSource>(poller: &Poller<S>, instance: &str, bulk_key: &str) {
    match poller.poll(bulk_key).await {
        Ok(reply) if has_ended(&reply) => {
            if let Err(e) = poller.store().release(bulk_key, instance).await {
                eprintln!("mass-updater-gateway: follower {instance}: {bulk_key}: {e}");
            }
        }
        Ok(reply) if reply.status != 200 => eprintln!(
            "mass-updater-gateway: follower {instance}: Zuora answered {} for {bulk_key}.",
            reply.status
        ),
        Ok(_) => {}
        Err(e) => eprintln!("mass-updater-gateway: follower {instance}: {bulk_key}: {e}"),
    }
}

fn has_ended(reply: &UpstreamReply) -> bool {
    reply.status == 200
        && std::str::from_utf8(&reply.body)
            .ok()
            .and_then(|body| MassActionResult::parse(body).ok())
            .is_some_and(|r| r.status.is_final())
}

fn back_off(interval: Duration, failures: u32) -> Duration {
    interval
        .saturating_mul(2u32.saturating_pow(failures.min(10)))
        .min(MAX_BACK_OFF)
}
