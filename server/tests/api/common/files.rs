//! What a test reads of the server's files: the database as it lies on disk, to show that a
//! secret never reaches it in plain text.

use super::TestApp;

/// The bytes of the SQLite database and its write-ahead log (not `sms.log`, which the `log`
/// sender writes codes to by design).
pub fn database_bytes(app: &TestApp) -> Vec<u8> {
    let data = app.dir.path().join("data");
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("citizen-cloud.sqlite3") {
            bytes.extend(std::fs::read(path).unwrap());
        }
    }
    bytes
}

/// Whether `needle` occurs in `haystack`, byte for byte.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}
