//! What a test reads of the server's files: the database as it lies on disk, to show that a
//! secret never reaches it in plain text.

use super::TestApp;
use citizen_server::store::db::Database;
use citizen_server::store::sql::{Connection, Value};

/// Every value the database's tables hold, text and bytes as stored, numbers in decimal.
fn every_value(conn: &Connection) -> Vec<u8> {
    let tables: Vec<String> = conn
        .query_map(
            // schema_migrations holds only which migrations ran, and when.
            "SELECT table_name FROM information_schema.tables
             WHERE table_schema = 'public' AND table_name <> 'schema_migrations'",
            (),
            |r| r.get(0),
        )
        .unwrap();
    let mut bytes = Vec::new();
    for table in tables {
        conn.query_map(&format!("SELECT * FROM {table}"), (), |row| {
            for column in 0..row.len() {
                match row.value(column)? {
                    Value::Text(text) => bytes.extend_from_slice(text.as_bytes()),
                    Value::Blob(blob) => bytes.extend_from_slice(blob),
                    Value::Int(i) => bytes.extend_from_slice(i.to_string().as_bytes()),
                    Value::Real(f) => bytes.extend_from_slice(f.to_string().as_bytes()),
                    Value::Null | Value::TooBig(_) => {}
                }
                bytes.push(0);
            }
            Ok(())
        })
        .unwrap();
    }
    bytes
}

/// The bytes of the SQLite database and its write-ahead log (not `sms.log`, which the `log`
/// sender writes codes to by design); on PostgreSQL, every value of every table.
pub fn database_bytes(app: &TestApp) -> Vec<u8> {
    if let Database::Postgres(_) = app.database {
        return app.db().with(every_value);
    }
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
