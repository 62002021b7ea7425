//! The real server binary in a child process, and a minimal HTTP/1.1 client for it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub struct Server {
    pub child: Child,
    pub port: u16,
    /// Everything the server wrote to standard output (its log), as it arrives.
    pub output: Arc<Mutex<String>>,
}

/// The server binary, its files in `dir/data` and, on the test cluster, its database the one
/// database of `dir` (made on first use, so a restart finds the same data).
pub fn binary(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_citizen-server"));
    command.arg("--data-dir").arg(dir.join("data"));
    if super::test_postgres().is_some() {
        let kept = dir.join("database-url");
        let url = match std::fs::read_to_string(&kept) {
            Ok(url) => url,
            Err(_) => {
                let citizen_server::store::db::Database::Postgres(url) = super::fresh_database(dir)
                else {
                    unreachable!("the test cluster gives PostgreSQL databases")
                };
                std::fs::write(&kept, &url).unwrap();
                url
            }
        };
        command
            .env("CITIZEN_DATABASE", url)
            .env("CITIZEN_SMS_KEY", super::TEST_SMS_KEY);
    }
    command
}

pub fn start(dir: &Path, extra: &[&str]) -> Server {
    start_logging(dir, extra, "warn")
}

/// [`start`] with `RUST_LOG` set to `log`, the output kept in [`Server::output`].
pub fn start_logging(dir: &Path, extra: &[&str], log: &str) -> Server {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<head></head>").unwrap();
    std::fs::write(dist.join("config.json"), "{}").unwrap();
    let mut child = binary(dir)
        .args(["--port", "0", "--dist"])
        .arg(&dist)
        .args(extra)
        .env("RUST_LOG", log)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    let output = Arc::new(Mutex::new(String::new()));
    let kept = Arc::clone(&output);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let mut kept = kept.lock().unwrap();
            kept.push_str(&line);
            kept.push('\n');
        }
    });
    Server {
        child,
        port,
        output,
    }
}

/// One HTTP/1.1 exchange; returns the status and the body.
pub fn call(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let bearer = token.map(|t| format!("Bearer {t}"));
    call_with(port, method, path, bearer.as_deref(), body)
}

/// [`call`] with this `Authorization` header, if any.
pub fn call_with(
    port: u16,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let auth = authorization
        .map(|value| format!("Authorization: {value}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let status = reply[9..12].parse().unwrap();
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

pub fn sign_in(port: u16, mobile: &str, password: &str) -> String {
    let (status, body) = call(
        port,
        "POST",
        "/api/v1/session",
        None,
        &super::sign_in_body(mobile, password),
    );
    assert_eq!(status, 201, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json["token"].as_str().unwrap().to_owned()
}
