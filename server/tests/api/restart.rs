//! Durability: every write the server acknowledged is still there after the process is killed
//! with SIGKILL (no shutdown, no flush) and started again on the same data directory.

use crate::common;

use common::process::{call, sign_in, start};

#[test]
fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path(), &["--demo"]);
    let token = sign_in(server.port, "13800000001", "demo-pass-2026");
    let (_, tiles) = call(server.port, "GET", "/api/v1/tiles?limit=40", None, "");
    let tiles: Vec<serde_json::Value> = serde_json::from_str(&tiles).unwrap();
    let ids: Vec<String> = tiles
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &ids {
        let (status, body) = call(
            server.port,
            "POST",
            "/api/v1/me/favourites",
            Some(&token),
            &format!(r#"{{"tile": "{id}"}}"#),
        );
        assert_eq!(status, 201, "{body}");
    }
    server.child.kill().unwrap(); // SIGKILL on Unix
    server.child.wait().unwrap();

    let mut again = start(dir.path(), &["--demo"]);
    let (status, body) = call(again.port, "GET", "/api/v1/me/favourites", Some(&token), "");
    assert_eq!(status, 200, "the session survived too: {body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut kept: Vec<String> = json["tiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    kept.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(kept, expected, "every acknowledged favourite is present");
    again.child.kill().unwrap();
    again.child.wait().unwrap();
}
