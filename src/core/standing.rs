//! Whether a group's results are provisional (暂定结果) or final (正式结果): the rule the printouts
//! follow. A group is final when every round of the rubric is covered, for that group, by a lock:
//! on the whole contest, on the group, on the round (every group), or on the group and the round.
//! The time it became final is the time its last round got covered.

/// A lock as the rule sees it: `None` covers every group (or round).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockScope {
    pub group: Option<String>,
    pub round: Option<String>,
    /// When the lock was set, as stored (RFC 3339, local time).
    pub locked_at: String,
}

impl LockScope {
    fn covers(&self, group: &str, round: &str) -> bool {
        self.group.as_deref().is_none_or(|g| g == group) && self.round.as_deref().is_none_or(|r| r == round)
    }
}

/// Where a group's results stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Not locked yet: the results may still change.
    Provisional,
    /// Locked; `locked_at` is when the last of its rounds got covered, `YYYY-MM-DD HH:MM`.
    Final { locked_at: String },
}

impl Standing {
    /// The heading's words: `暂定结果（未锁定）` or `正式结果（YYYY-MM-DD HH:MM 锁定）`.
    pub fn heading_zh(&self) -> String {
        match self {
            Standing::Provisional => PROVISIONAL_ZH.to_string(),
            Standing::Final { locked_at } => format!("正式结果（{locked_at} 锁定）"),
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(self, Standing::Final { .. })
    }
}

/// What every page of results not yet locked says.
pub const PROVISIONAL_ZH: &str = "暂定结果（未锁定）";

/// `2026-12-01T14:03:05.123+08:00` → `2026-12-01 14:03`; anything else is shown as it is.
fn minute(stored: &str) -> String {
    let s = stored.trim();
    match (s.get(..10), s.get(11..16)) {
        (Some(date), Some(time)) if s.len() >= 16 && s.as_bytes().get(10).is_some_and(|b| *b == b'T' || *b == b' ') => {
            format!("{date} {time}")
        }
        _ => s.to_string(),
    }
}

/// The standing of `group`, whose rubric has the rounds `rounds` (ids), under `locks`.
pub fn group_standing(group: &str, rounds: &[&str], locks: &[LockScope]) -> Standing {
    let mut last: Option<&str> = None;
    for round in rounds {
        // The round is covered from the earliest lock covering it.
        let Some(first) = locks
            .iter()
            .filter(|l| l.covers(group, round))
            .map(|l| l.locked_at.as_str())
            .min()
        else {
            return Standing::Provisional;
        };
        if last.is_none_or(|t| first > t) {
            last = Some(first);
        }
    }
    match last {
        Some(t) => Standing::Final { locked_at: minute(t) },
        // A rubric always has a round; without one nothing can be locked.
        None => Standing::Provisional,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(group: Option<&str>, round: Option<&str>, at: &str) -> LockScope {
        LockScope {
            group: group.map(str::to_string),
            round: round.map(str::to_string),
            locked_at: at.to_string(),
        }
    }

    const ROUNDS: &[&str] = &["lesson", "story", "analysis"];

    #[test]
    fn no_lock_or_another_groups_lock_is_provisional() {
        assert_eq!(group_standing("教师组", ROUNDS, &[]), Standing::Provisional);
        let other = [lock(Some("家长组"), None, "2026-12-01T10:00:00.000+08:00")];
        assert_eq!(group_standing("教师组", ROUNDS, &other), Standing::Provisional);
        assert_eq!(
            group_standing("家长组", ROUNDS, &other),
            Standing::Final {
                locked_at: "2026-12-01 10:00".into()
            }
        );
    }

    #[test]
    fn the_whole_contest_or_the_group_locks_it() {
        let all = [lock(None, None, "2026-12-01T11:05:00.000+08:00")];
        assert_eq!(
            group_standing("教师组", ROUNDS, &all).heading_zh(),
            "正式结果（2026-12-01 11:05 锁定）"
        );
        let group = [lock(Some("教师组"), None, "2026-12-01T09:30:59.000+08:00")];
        assert!(group_standing("教师组", ROUNDS, &group).is_final());
    }

    #[test]
    fn rounds_lock_it_only_when_every_round_is_covered_and_the_last_one_dates_it() {
        let two = [
            lock(None, Some("lesson"), "2026-12-01T09:00:00.000+08:00"),
            lock(Some("教师组"), Some("story"), "2026-12-01T10:00:00.000+08:00"),
        ];
        assert_eq!(group_standing("教师组", ROUNDS, &two), Standing::Provisional);
        assert_eq!(Standing::Provisional.heading_zh(), "暂定结果（未锁定）");
        let mut three = two.to_vec();
        three.push(lock(None, Some("analysis"), "2026-12-01T12:45:00.000+08:00"));
        assert_eq!(
            group_standing("教师组", ROUNDS, &three),
            Standing::Final {
                locked_at: "2026-12-01 12:45".into()
            }
        );
        // 家长组 has no lock on story.
        assert_eq!(group_standing("家长组", ROUNDS, &three), Standing::Provisional);
        // A later lock over a round already covered does not move the time.
        three.push(lock(None, None, "2026-12-02T08:00:00.000+08:00"));
        assert_eq!(
            group_standing("教师组", ROUNDS, &three),
            Standing::Final {
                locked_at: "2026-12-01 12:45".into()
            }
        );
    }
}
