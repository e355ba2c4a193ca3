//! The lock-out rule for secrets that are typed in (judges' PINs, the organiser's passphrase):
//! after [`MAX_FAILURES`] wrong tries within [`FAILURE_WINDOW_MS`], further tries are refused for
//! [`PAUSE_SECS`] after the last failure, even with the right secret. One rule for the store (which
//! counts the tries in the workspace, across processes) and the screens (which show the pause).

/// How many wrong tries in a row before the pause.
pub const MAX_FAILURES: u32 = 3;
/// The pause after [`MAX_FAILURES`] wrong tries, in seconds.
pub const PAUSE_SECS: u64 = 30;
/// The pause in milliseconds.
pub const PAUSE_MS: i64 = PAUSE_SECS as i64 * 1000;
/// How far back failures count, in milliseconds.
pub const FAILURE_WINDOW_MS: i64 = 10 * 60 * 1000;

/// The whole seconds still to wait at `now` (ms) after `failures` wrong tries in the window, the
/// last at `last_failure` (ms); `None` when a try may go ahead.
pub fn pause_left(failures: i64, last_failure: Option<i64>, now: i64) -> Option<i64> {
    let last = last_failure?;
    if failures >= i64::from(MAX_FAILURES) && now - last < PAUSE_MS {
        let wait_ms = PAUSE_MS - (now - last);
        Some((wait_ms + 999) / 1000)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_failures_pause_for_thirty_seconds_after_the_last() {
        assert_eq!(pause_left(2, Some(1_000), 1_000), None);
        assert_eq!(pause_left(3, Some(1_000), 1_000), Some(30));
        assert_eq!(pause_left(3, Some(1_000), 1_000 + 29_001), Some(1));
        assert_eq!(pause_left(3, Some(1_000), 1_000 + 30_000), None);
        assert_eq!(pause_left(3, None, 1_000), None);
    }
}
