//! When a failed `POST /v1/bulk` is tried again by itself, and after how long.
//!
//! Only failures that happen in front of Zuora or that Zuora asks us to wait out are
//! retried: no answer at all, 429, 502, 503 and 504. Every retry carries the same
//! `Idempotency-Key`, so Zuora cannot run the file twice. A 500 is never retried:
//! Zuora keeps the first answer to a key for 24 hours, errors included, so the same key
//! would only replay the error (see [`crate::job`] for what is offered instead).
//!
//! Delays use *equal jitter*: half of the exponential step is fixed and the other half
//! random. Unlike full jitter, a retry never fires at once (so "retrying in 3 s" is
//! never "retrying in 0 s"), while two browsers that failed together still spread out.
//! A `Retry-After` header is a floor under that delay, never shortened.

use crate::error::SubmitError;
use std::time::UNIX_EPOCH;

/// How many attempts a submission gets and how the waits between them grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included.
    pub max_attempts: u32,
    /// The exponential step before the second attempt; it doubles for each later one.
    pub base_ms: u64,
    /// No backoff step grows beyond this.
    pub cap_ms: u64,
    /// A `Retry-After` longer than this is not waited out: the job stops retrying and
    /// says why, rather than sitting in the list for an hour.
    pub max_retry_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_ms: 2_000,
            cap_ms: 30_000,
            max_retry_after_ms: 300_000,
        }
    }
}

/// What to do after attempt `attempt` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait `ms`, then make attempt number `attempt` (of `of` in total).
    RetryIn {
        ms: u64,
        attempt: u32,
        of: u32,
    },
    GiveUp,
}

/// Whether a failure is one a later attempt with the same key may get past.
pub fn is_transient(failure: &SubmitError) -> bool {
    match failure {
        SubmitError::Network { .. } => true,
        other => matches!(other.status(), Some(429 | 502 | 503 | 504)),
    }
}

impl RetryPolicy {
    /// `attempt` is the number of the attempt that just failed (the first is 1);
    /// `random` is any 32 random bits; `now_ms` is needed only to read a `Retry-After`
    /// given as a date.
    pub fn decide(
        &self,
        attempt: u32,
        failure: &SubmitError,
        retry_after: Option<&str>,
        now_ms: u64,
        random: u32,
    ) -> RetryDecision {
        if !is_transient(failure) || attempt >= self.max_attempts {
            return RetryDecision::GiveUp;
        }
        let floor = retry_after
            .and_then(|v| parse_retry_after(v, now_ms))
            .unwrap_or(0);
        if floor > self.max_retry_after_ms {
            return RetryDecision::GiveUp;
        }
        RetryDecision::RetryIn {
            ms: self.backoff_ms(attempt, random).max(floor),
            attempt: attempt.saturating_add(1),
            of: self.max_attempts,
        }
    }

    /// Equal jitter: with step = min(cap, base · 2^(attempt−1)), a delay in
    /// [step/2, step].
    pub fn backoff_ms(&self, attempt: u32, random: u32) -> u64 {
        let doublings = attempt.saturating_sub(1).min(32);
        let step = self
            .base_ms
            .saturating_mul(1u64 << doublings)
            .min(self.cap_ms);
        let half = step / 2;
        let spread = step - half;
        // spread ≤ u64::MAX / 2^32 would be needed to multiply safely; u128 sidesteps it.
        let jitter = (u128::from(spread) * u128::from(random) / u128::from(u32::MAX)) as u64;
        half + jitter
    }
}

/// Reads `Retry-After` (RFC 9110 §10.2.3): whole seconds, or an HTTP date. Returns the
/// wait in milliseconds (0 for a date in the past), or `None` when the value is neither.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits to be a number of seconds still means "a very long time".
        let seconds = v.parse::<u64>().unwrap_or(u64::MAX);
        return Some(seconds.saturating_mul(1000));
    }
    // httpdate only adds a duration to UNIX_EPOCH, so it does not need a clock and is
    // safe on wasm32-unknown-unknown, where SystemTime::now() would panic.
    let at = httpdate::parse_http_date(v).ok()?;
    let at_ms = at.duration_since(UNIX_EPOCH).ok()?.as_millis();
    Some(u64::try_from(at_ms.saturating_sub(u128::from(now_ms))).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Reason;
    use proptest::prelude::*;

    fn rejected(status: u16) -> SubmitError {
        SubmitError::Rejected {
            status,
            reasons: vec![Reason {
                code: "1".into(),
                message: "x".into(),
            }],
            process_id: None,
            request_id: None,
        }
    }

    fn network() -> SubmitError {
        SubmitError::Network {
            detail: "reset".into(),
        }
    }

    // Sun, 06 Nov 1994 08:49:37 GMT
    const RFC_DATE_MS: u64 = 784_111_777_000;

    #[test]
    fn only_transient_failures_are_retried_with_the_next_attempt_number() {
        let policy = RetryPolicy::default();
        let cases: Vec<(SubmitError, bool)> = vec![
            (network(), true),
            (rejected(429), true),
            (
                SubmitError::Proxy {
                    status: 502,
                    request_id: None,
                },
                true,
            ),
            (
                SubmitError::NotJson {
                    status: 503,
                    request_id: None,
                    excerpt: "<html>".into(),
                },
                true,
            ),
            (rejected(503), true),
            (
                SubmitError::Proxy {
                    status: 504,
                    request_id: None,
                },
                true,
            ),
            (rejected(500), false),
            (rejected(400), false),
            (rejected(401), false),
            (rejected(403), false),
            (rejected(409), false),
            (rejected(422), false),
            (
                SubmitError::EmptyBody {
                    status: 200,
                    request_id: None,
                },
                false,
            ),
            (
                SubmitError::UnexpectedShape {
                    status: 200,
                    request_id: None,
                },
                false,
            ),
        ];
        for (failure, retried) in cases {
            let d = policy.decide(1, &failure, None, 0, 0);
            if retried {
                assert!(
                    matches!(
                        d,
                        RetryDecision::RetryIn {
                            attempt: 2,
                            of: 4,
                            ..
                        }
                    ),
                    "{failure:?}: {d:?}"
                );
            } else {
                assert_eq!(d, RetryDecision::GiveUp, "{failure:?}");
            }
        }
    }

    #[test]
    fn the_fourth_failure_is_the_last() {
        let policy = RetryPolicy::default();
        for attempt in 1..4 {
            assert!(matches!(
                policy.decide(attempt, &network(), None, 0, 7),
                RetryDecision::RetryIn { attempt: next, of: 4, .. } if next == attempt + 1
            ));
        }
        assert_eq!(
            policy.decide(4, &network(), None, 0, 7),
            RetryDecision::GiveUp
        );
        assert_eq!(
            policy.decide(u32::MAX, &network(), None, 0, 7),
            RetryDecision::GiveUp
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_a_date_and_garbage_is_ignored() {
        let now = RFC_DATE_MS - 10_000;
        let table: &[(&str, Option<u64>)] = &[
            ("120", Some(120_000)),
            (" 0 ", Some(0)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", Some(10_000)),
            ("Sunday, 06-Nov-94 08:49:37 GMT", Some(10_000)),
            ("Sun Nov  6 08:49:37 1994", Some(10_000)),
            ("99999999999999999999999", Some(u64::MAX)),
            ("-5", None),
            ("1.5", None),
            ("soon", None),
            ("", None),
            ("Sun, 06 Nov 1994 08:49:37", None),
        ];
        for (value, expected) in table {
            assert_eq!(parse_retry_after(value, now), *expected, "{value:?}");
        }
        // A date already past means no wait at all.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE_MS + 5_000),
            Some(0)
        );
    }

    #[test]
    fn retry_after_is_a_floor_under_the_backoff() {
        let policy = RetryPolicy::default();
        let long = policy.decide(1, &rejected(429), Some("20"), 0, u32::MAX);
        assert_eq!(
            long,
            RetryDecision::RetryIn {
                ms: 20_000,
                attempt: 2,
                of: 4
            }
        );
        // A short Retry-After does not shorten the backoff (2 s step, random at max).
        let short = policy.decide(1, &rejected(429), Some("0"), 0, u32::MAX);
        assert_eq!(
            short,
            RetryDecision::RetryIn {
                ms: 2_000,
                attempt: 2,
                of: 4
            }
        );
        // Garbage is as if there were no header.
        assert_eq!(
            policy.decide(1, &rejected(429), Some("later"), 0, 0),
            RetryDecision::RetryIn {
                ms: 1_000,
                attempt: 2,
                of: 4
            }
        );
        let date = policy.decide(
            1,
            &rejected(503),
            Some("Sun, 06 Nov 1994 08:49:37 GMT"),
            RFC_DATE_MS - 45_000,
            0,
        );
        assert_eq!(
            date,
            RetryDecision::RetryIn {
                ms: 45_000,
                attempt: 2,
                of: 4
            }
        );
    }

    #[test]
    fn a_retry_after_beyond_the_limit_gives_up() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(1, &rejected(429), Some("301"), 0, 0),
            RetryDecision::GiveUp
        );
        assert!(matches!(
            policy.decide(1, &rejected(429), Some("300"), 0, 0),
            RetryDecision::RetryIn { ms: 300_000, .. }
        ));
    }

    #[test]
    fn backoff_steps_double_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let highest: Vec<u64> = (1..=6).map(|a| policy.backoff_ms(a, u32::MAX)).collect();
        assert_eq!(highest, vec![2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
        let lowest: Vec<u64> = (1..=3).map(|a| policy.backoff_ms(a, 0)).collect();
        assert_eq!(lowest, vec![1_000, 2_000, 4_000]);
    }

    proptest! {
        #[test]
        fn jitter_stays_within_half_and_whole_step(attempt in 1u32..200, random: u32, base in 0u64..100_000, cap in 0u64..1_000_000) {
            let policy = RetryPolicy { base_ms: base, cap_ms: cap, ..RetryPolicy::default() };
            let step = base.saturating_mul(1u64 << (attempt - 1).min(32)).min(cap);
            let ms = policy.backoff_ms(attempt, random);
            prop_assert!(ms >= step / 2 && ms <= step, "{} not in [{}, {}]", ms, step / 2, step);
        }

        #[test]
        fn any_retry_after_text_is_read_without_panicking(text in ".{0,60}", now: u64) {
            let _ = parse_retry_after(&text, now);
        }
    }
}
