//! How often a mass action is asked about (`GET /v1/bulk/{bulk-key}`), when asking stops,
//! and when it may be stopped (`PUT /v1/bulk/{bulk-key}/stop`, reference §3).
//!
//! Schedule: 1 s after the first poll, then 2 s, 3 s, … one second more each time, and
//! never less than a tenth of the time the action has been followed (so a long run is
//! asked about less often), capped at 15 s. While `Stopping`, at most 3 s, because the
//! user has just asked for the stop and is waiting to see it. Polling stops at
//! `Completed`, `Stopped` and `Failed`; an unknown status keeps being asked about at the
//! same pace. A hidden tab stops polling (another tab of the app may take over) and
//! starts again, from the first delay, when it is shown.

use crate::wire::MassActionStatus;

pub const FIRST_POLL_DELAY_MS: u64 = 1_000;
pub const POLL_STEP_MS: u64 = 1_000;
pub const MAX_POLL_DELAY_MS: u64 = 15_000;
pub const MAX_POLL_DELAY_WHILE_STOPPING_MS: u64 = 3_000;

/// At most this many status polls in flight at once from one tab, however many jobs it
/// follows.
pub const MAX_POLLS_IN_FLIGHT: usize = 4;

/// A delay spread between half of `delay_ms` and all of it by `random`, so that the jobs
/// a tab began to follow at the same moment (after a reload, say) do not all ask at
/// once, cycle after cycle.
pub fn jittered(delay_ms: u64, random: u32) -> u64 {
    let half = delay_ms / 2;
    half + (delay_ms - half) * u64::from(random) / u64::from(u32::MAX)
}

/// Milliseconds to wait before the next poll. `polls_so_far` counts every poll made for
/// this job since it was accepted (or since the page loaded), failed ones included;
/// `elapsed_ms` is the time since following began.
pub fn next_poll_delay(polls_so_far: u32, elapsed_ms: u64, status: &MassActionStatus) -> u64 {
    let by_count =
        FIRST_POLL_DELAY_MS.saturating_add(POLL_STEP_MS.saturating_mul(u64::from(polls_so_far)));
    let by_age = elapsed_ms / 10;
    let cap = match status {
        MassActionStatus::Stopping => MAX_POLL_DELAY_WHILE_STOPPING_MS,
        _ => MAX_POLL_DELAY_MS,
    };
    by_count.max(by_age).min(cap)
}

/// Nothing more will change: stop polling.
pub fn is_terminal(status: &MassActionStatus) -> bool {
    status.is_final()
}

/// Zuora accepts a stop only while the action is `Pending` or `Processing`.
pub fn can_stop(status: &MassActionStatus) -> bool {
    matches!(
        status,
        MassActionStatus::Pending | MassActionStatus::Processing
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn statuses() -> Vec<MassActionStatus> {
        vec![
            MassActionStatus::Pending,
            MassActionStatus::Processing,
            MassActionStatus::Stopping,
            MassActionStatus::Stopped,
            MassActionStatus::Completed,
            MassActionStatus::Failed,
            MassActionStatus::Other("Queued".into()),
        ]
    }

    #[test]
    fn polls_start_fast_and_slow_down_to_fifteen_seconds() {
        let p = MassActionStatus::Processing;
        let delays: Vec<u64> = (0..20).map(|n| next_poll_delay(n, 0, &p)).collect();
        assert_eq!(&delays[..4], &[1_000, 2_000, 3_000, 4_000]);
        assert_eq!(delays[14], 15_000);
        assert_eq!(delays[19], 15_000);
        // A long-running action is asked about less often even right after a reload.
        assert_eq!(next_poll_delay(0, 80_000, &p), 8_000);
        assert_eq!(next_poll_delay(0, 3_600_000, &p), 15_000);
        assert_eq!(next_poll_delay(u32::MAX, u64::MAX, &p), 15_000);
    }

    #[test]
    fn jitter_spreads_a_delay_over_its_upper_half() {
        assert_eq!(jittered(1_000, 0), 500);
        assert_eq!(jittered(1_000, u32::MAX), 1_000);
        assert_eq!(jittered(1_000, u32::MAX / 2), 749);
        assert_eq!(jittered(0, 12_345), 0);
        let spread: std::collections::HashSet<u64> = (0..20u32)
            .map(|i| jittered(15_000, i * 200_000_000))
            .collect();
        assert_eq!(spread.len(), 20, "twenty draws, twenty delays");
    }

    #[test]
    fn a_stop_in_progress_is_watched_closely() {
        assert_eq!(
            next_poll_delay(30, 600_000, &MassActionStatus::Stopping),
            3_000
        );
        assert_eq!(next_poll_delay(0, 0, &MassActionStatus::Stopping), 1_000);
    }

    #[test]
    fn only_completed_stopped_and_failed_end_polling() {
        let terminal: Vec<bool> = statuses().iter().map(is_terminal).collect();
        assert_eq!(terminal, vec![false, false, false, true, true, true, false]);
    }

    #[test]
    fn only_pending_and_processing_can_be_stopped() {
        let stoppable: Vec<bool> = statuses().iter().map(can_stop).collect();
        assert_eq!(
            stoppable,
            vec![true, true, false, false, false, false, false]
        );
    }

    proptest! {
        #[test]
        fn delay_never_shrinks_and_stays_within_bounds(n in 0u32..10_000, e in 0u64..10_000_000, dn in 0u32..100, de in 0u64..1_000_000) {
            for status in statuses() {
                let a = next_poll_delay(n, e, &status);
                let b = next_poll_delay(n + dn, e + de, &status);
                prop_assert!(a <= b);
                prop_assert!((FIRST_POLL_DELAY_MS..=MAX_POLL_DELAY_MS).contains(&a));
            }
        }
    }
}
