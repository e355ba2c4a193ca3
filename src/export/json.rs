//! The tally as JSON: scores are strings with exactly the contest's decimals, ranks integers.

use serde_json::{Value, json};

use crate::core::tally::Tally;

pub fn tally_json(tally: &Tally) -> Value {
    let d = tally.decimals;
    let groups: Vec<Value> = tally
        .groups
        .iter()
        .map(|g| {
            let entries: Vec<Value> = g
                .entries
                .iter()
                .map(|e| {
                    let rounds: serde_json::Map<String, Value> = e
                        .rounds
                        .iter()
                        .map(|r| {
                            (
                                r.round.clone(),
                                r.score.map_or(Value::Null, |s| json!(s.format_fixed(d))),
                            )
                        })
                        .collect();
                    let judges: serde_json::Map<String, Value> = e
                        .rounds
                        .iter()
                        .map(|r| {
                            let marks: Vec<Value> = r
                                .marks
                                .iter()
                                .map(|m| {
                                    json!({
                                        "judge": &*m.judge,
                                        "total": m.total.to_string(),
                                        "dropped": m.dropped.map(|x| x.as_str()),
                                        "flagged": m.flagged,
                                    })
                                })
                                .collect();
                            (r.round.clone(), Value::Array(marks))
                        })
                        .collect();
                    let flags: Vec<Value> = e
                        .rounds
                        .iter()
                        .flat_map(|r| {
                            r.marks.iter().filter(|m| m.flagged).map(move |m| {
                                json!({
                                    "round": r.round,
                                    "judge": &*m.judge,
                                    "total": m.total.to_string(),
                                    "median": r.median.map(|x| x.format_fixed(d)),
                                    "flag": "分差过大",
                                })
                            })
                        })
                        .collect();
                    let shortfalls: Vec<Value> = e
                        .shortfalls
                        .iter()
                        .map(|s| json!({"round": s.round, "judges": s.have, "needed": s.need}))
                        .collect();
                    json!({
                        "id": e.id,
                        "title": e.title,
                        "rank": e.rank,
                        "final": e.final_score.map(|f| f.format_fixed(d)),
                        "award": e.award,
                        "complete": e.complete,
                        "rounds": rounds,
                        "judges": judges,
                        "flags": flags,
                        "incomplete": shortfalls,
                    })
                })
                .collect();
            json!({"group": g.group, "entries": entries})
        })
        .collect();
    json!({
        "contest": tally.contest,
        "decimals": d,
        "groups": groups,
        "ungrouped": tally.ungrouped,
        "withdrawn": withdrawn_json(tally),
    })
}

/// The withdrawn entries: id, title, group, kind (withdrawn or disqualified), reason.
pub fn withdrawn_json(tally: &Tally) -> Value {
    Value::Array(
        tally
            .withdrawn
            .iter()
            .map(|w| {
                json!({
                    "id": w.id,
                    "title": w.title,
                    "group": w.group,
                    "kind": w.kind.as_str(),
                    "reason": w.reason,
                })
            })
            .collect(),
    )
}
