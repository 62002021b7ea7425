//! A clean deployment: without `--demo` the server seeds nobody, and `add-person` creates the first
//! staff member (in the community it is told: there is no default).

use crate::common;

use common::process::{binary, call, sign_in, start};

fn add_person(dir: &std::path::Path, args: &[&str], password: &str) -> std::process::Output {
    binary(dir)
        .arg("add-person")
        .args(args)
        .env("CITIZEN_NEW_PASSWORD", password)
        .output()
        .unwrap()
}

/// `add-person`'s flags for a person of the community `yulin`.
fn in_yulin<'a>(mobile: &'a str, name: &'a str, role: &'a str) -> [&'a str; 8] {
    [
        "--mobile",
        mobile,
        "--name",
        name,
        "--role",
        role,
        "--community",
        "yulin",
    ]
}

#[test]
fn the_first_staff_member_is_added_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let added = add_person(
        dir.path(),
        &in_yulin("139 0000 0009", "陈主任", "staff,resident"),
        "a-long-secret",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let mut server = start(dir.path(), &[]);
    let token = sign_in(server.port, "13900000009", "a-long-secret");
    let (status, me) = call(server.port, "GET", "/api/v1/me", Some(&token), "");
    assert_eq!(status, 200);
    let me: serde_json::Value = serde_json::from_str(&me).unwrap();
    assert_eq!(me["roles"], serde_json::json!(["resident", "staff"]));
    assert_eq!(me["community"], "yulin");

    let (status, _) = call(
        server.port,
        "POST",
        "/api/v1/session",
        None,
        r#"{"mobile": "13800000001", "password": "demo-pass-2026"}"#,
    );
    assert_eq!(status, 401, "no demo accounts in a clean deployment");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

#[test]
fn add_person_refuses_bad_input_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    // (mobile, name, role, password, the field the refusal names)
    let cases = [
        ("12345", "x", "staff", "long-enough-pw", "--mobile"),
        ("13900000009", " ", "staff", "long-enough-pw", "--name"),
        ("13900000009", "x", "admin", "long-enough-pw", "--role"),
        ("13900000009", "x", "staff", "12345678", "password"),
    ];
    for (mobile, name, role, password, field) in cases {
        let args = in_yulin(mobile, name, role);
        let out = add_person(dir.path(), &args, password);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} must fail");
        assert!(stderr.contains(field), "{args:?}: {stderr}");
    }
    let args = in_yulin("13900000009", "x", "staff");
    let ok = add_person(dir.path(), &args, "long-enough-pw");
    assert!(ok.status.success());
    let twice = add_person(dir.path(), &args, "long-enough-pw");
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already has an account"));
}

#[test]
fn add_person_needs_an_explicit_community() {
    let dir = tempfile::tempdir().unwrap();
    let out = add_person(
        dir.path(),
        &["--mobile", "13900000008", "--name", "x", "--role", "staff"],
        "long-enough-pw",
    );
    assert!(!out.status.success(), "no default community");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--community"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_demo_is_seeded_only_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = start(dir.path(), &["--demo"]);
    sign_in(demo.port, "13800000001", "demo-pass-2026");
    demo.child.kill().unwrap();
    demo.child.wait().unwrap();
}
