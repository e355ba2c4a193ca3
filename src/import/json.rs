//! JSON: an array of objects, one per entry, keys as column headers.

use serde_json::Value;

use super::ImportErrors;
use super::table::{MAX_ROWS, SourceKind, Table, TableRow, check_cell};
use super::text::decode;

pub fn read_json(file: &str, bytes: &[u8]) -> Result<Table, ImportErrors> {
    let whole = |m: String| ImportErrors::whole_file(file, m);
    let (text, _) = decode(bytes).map_err(whole)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        whole(format!(
            "is not valid JSON: {e} (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Array(items) = value else {
        return Err(whole(
            "must be a JSON array of objects, like [{\"id\": \"A1\", …}]".into(),
        ));
    };
    if items.len() > MAX_ROWS {
        return Err(whole(format!("more than {MAX_ROWS} elements; split the file")));
    }
    let mut headers: Vec<String> = Vec::new();
    let mut objects = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(whole(format!("element {} is not an object", i + 1)));
        };
        for key in map.keys() {
            if !headers.iter().any(|h| h == key) {
                headers.push(key.clone());
            }
        }
        objects.push(map);
    }
    let mut rows = Vec::with_capacity(objects.len());
    for (i, map) in objects.into_iter().enumerate() {
        let number = i + 1;
        let mut cells = vec![String::new(); headers.len()];
        for (key, value) in map {
            let text = match value {
                Value::Null => String::new(),
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(whole(format!(
                        "element {number}, field \"{key}\": nested arrays and objects are not accepted; use text"
                    )));
                }
            };
            if let Err(m) = check_cell(&text) {
                return Err(whole(format!("element {number}, field \"{key}\": the value {m}")));
            }
            if let Some(pos) = headers.iter().position(|h| *h == key) {
                cells[pos] = text;
            }
        }
        rows.push(TableRow { number, cells });
    }
    Ok(Table {
        file: file.to_string(),
        kind: SourceKind::Json,
        headers,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_objects_and_refuses_others() {
        let t = read_json(
            "a.json",
            "[{\"id\":\"A1\",\"order\":3},{\"id\":\"A2\",\"title\":\"标题\"}]".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.headers, vec!["id", "order", "title"]);
        assert_eq!(t.rows[0].cells, vec!["A1", "3", ""]);
        assert_eq!(t.rows[1].cells, vec!["A2", "", "标题"]);
        assert!(
            read_json("a.json", b"{\"id\":1}")
                .unwrap_err()
                .to_string()
                .contains("array")
        );
        assert!(
            read_json("a.json", b"[1]")
                .unwrap_err()
                .to_string()
                .contains("element 1")
        );
        assert!(read_json("a.json", b"[{").unwrap_err().to_string().contains("line 1"));
    }
}
