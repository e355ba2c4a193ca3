//! Connect cards (连接卡) for the meeting room: one card per judge with the address, the port, the
//! judge's id and name, the server's host key fingerprint and the line to type on Windows and on
//! a Mac. The password is named in words, never printed: a card carries no PIN.
//!
//! One self-contained A4 page (inline CSS, nothing fetched), cards in two columns, never split
//! across pages. Plain values in, bytes out; every value is escaped.

use std::fmt::Write;

use super::html::{CJK_FONT_STACK, escape};
use super::output::default_file_name;

/// One judge's card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: String,
    pub name: String,
}

/// What every card shares: the contest, where to connect and the key to expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub contest: String,
    /// As typed after `@` (an IPv6 address in brackets).
    pub host: String,
    pub port: u16,
    /// `SHA256:…`, as `jury serve` and the ssh client show it.
    pub fingerprint: String,
}

/// `connect-cards-<contest>-<date>.html`.
pub fn cards_file_name(contest: &str, date: &str) -> String {
    default_file_name("connect-cards", contest, date, "html")
}

const CARDS_CSS: &str = r#"
@page { size: A4 portrait; margin: 10mm; }
html { font-family: FONTS; font-size: 10pt; color: #000; background: #fff; }
body { margin: 0; }
h1 { font-size: 13pt; margin: 0 0 3mm 0; text-align: center; }
.cards { display: flex; flex-wrap: wrap; justify-content: space-between; }
.card { box-sizing: border-box; width: 93mm; border: 0.75pt dashed #444; padding: 3mm 4mm; margin: 0 0 4mm 0;
  break-inside: avoid; page-break-inside: avoid; }
.card h2 { font-size: 12pt; margin: 0 0 2mm 0; }
.card .id { font-family: "DejaVu Sans Mono", Consolas, Menlo, monospace; }
.card p { margin: 1mm 0; }
.card .label { font-size: 8.5pt; color: #333; margin-top: 2mm; }
.card code { display: block; white-space: nowrap; font-family: "DejaVu Sans Mono", Consolas, Menlo, monospace; font-size: 9.5pt;
  border: 0.5pt solid #888; padding: 1mm 1.5mm; }
.card .fingerprint { font-size: 7.5pt; white-space: nowrap; }
.card .note { font-size: 8.5pt; }
@media screen { body { max-width: 195mm; margin: 8mm auto; } }
"#;

/// The page of cards, one per judge, in the order given.
pub fn cards_bytes(room: &Room, cards: &[Card]) -> Vec<u8> {
    let host = escape(&room.host);
    let port = room.port;
    let fingerprint = escape(&room.fingerprint);
    let mut body = String::new();
    write!(
        body,
        "<h1>{}　评委连接卡</h1>\n<div class=\"cards\">\n",
        escape(&room.contest)
    )
    .ok();
    for card in cards {
        let id = escape(&card.id);
        let line = format!("ssh -p {port} {id}@{host}");
        write!(
            body,
            "<section class=\"card\">\n\
             <h2><span class=\"id\">{id}</span>　{name}</h2>\n\
             <p>地址：<b>{host}</b>　端口：<b>{port}</b>　用户名：<b>{id}</b></p>\n\
             <p class=\"label\">Windows 10/11（Windows 终端，或 PowerShell）输入：</p>\n<code>{line}</code>\n\
             <p class=\"label\">macOS（终端）输入：</p>\n<code>{line}</code>\n\
             <p class=\"note\">密码 = 您的评委密码（PIN，由组织者另行告知，不印在卡上）。</p>\n\
             <p class=\"note\">首次连接时 ssh 会询问是否信任主机密钥：只有显示的指纹与下面相同才输入 yes。</p>\n\
             <p class=\"fingerprint\">{fingerprint}</p>\n\
             </section>\n",
            name = escape(&card.name),
        )
        .ok();
    }
    if cards.is_empty() {
        body.push_str("<p>还没有评委：请先运行 jury import judges。</p>\n");
    }
    body.push_str("</div>\n");
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"jury\">\n<title>{} 评委连接卡</title>\n<style>{}</style>\n</head>\n\
         <body>\n{body}</body>\n</html>\n",
        escape(&room.contest),
        CARDS_CSS.replace("FONTS", CJK_FONT_STACK),
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room() -> Room {
        Room {
            contest: "家庭教育<案例>".into(),
            host: "192.168.1.5".into(),
            port: 2222,
            fingerprint: "SHA256:abcDEF+/x".into(),
        }
    }

    #[test]
    fn a_card_per_judge_with_the_lines_to_type_and_every_value_escaped() {
        let cards = vec![
            Card {
                id: "PW03".into(),
                name: "汪<b>燕".into(),
            },
            Card {
                id: "PW04".into(),
                name: "秦静英 & co".into(),
            },
        ];
        let html = String::from_utf8(cards_bytes(&room(), &cards)).unwrap();
        assert_eq!(html.matches("<section class=\"card\">").count(), 2);
        assert!(
            html.contains("<h2><span class=\"id\">PW03</span>　汪&lt;b&gt;燕</h2>"),
            "{html}"
        );
        assert!(!html.contains("汪<b>"), "{html}");
        assert!(html.contains("秦静英 &amp; co"));
        assert!(html.contains("<h1>家庭教育&lt;案例&gt;　评委连接卡</h1>"), "{html}");
        // Windows and Mac each get the line; the fingerprint is on every card.
        assert_eq!(html.matches("<code>ssh -p 2222 PW03@192.168.1.5</code>").count(), 2);
        assert!(html.contains("Windows 10/11") && html.contains("macOS（终端）"));
        assert_eq!(html.matches("SHA256:abcDEF+/x").count(), 2);
        assert_eq!(html.matches("密码 = 您的评委密码").count(), 2);
        // Cards never split across pages.
        assert!(html.contains("break-inside: avoid") && html.contains("size: A4"));
        assert_eq!(
            cards_file_name("家庭教育", "2026-12-01"),
            "connect-cards-家庭教育-2026-12-01.html"
        );
    }

    #[test]
    fn a_hostile_host_is_escaped_too() {
        let room = Room {
            host: "<script>".into(),
            ..room()
        };
        let html = String::from_utf8(cards_bytes(
            &room,
            &[Card {
                id: "PW01".into(),
                name: "x".into(),
            }],
        ))
        .unwrap();
        assert!(
            !html.contains("<script>") && html.contains("PW01@&lt;script&gt;"),
            "{html}"
        );
    }
}
