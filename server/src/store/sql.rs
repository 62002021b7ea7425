//! One way to speak SQL to either engine. Every store function takes a [`Connection`] (SQLite's
//! or PostgreSQL's, inside a transaction the caller opened) and writes its SQL once: numbered
//! `?1` placeholders (sent to PostgreSQL as `$1`), values as SQLite's five kinds ([`Value`]),
//! and only the SQL both engines read the same way (`ON CONFLICT`, `RETURNING`, `COALESCE`,
//! `CAST(… AS BIGINT)`). The PostgreSQL schema keeps SQLite's types (integers, 0/1 flags,
//! text, bytes), so a row reads the same from both.
//!
//! The calls are blocking, as rusqlite's are (`store::pg` drives PostgreSQL's connection on the
//! calling thread): they run on the blocking pool or the writer's thread, or, for a lone write,
//! on a runtime's worker that it holds for one commit (`store::writer`).

use super::pg;
use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `query_row` found nothing (`OptionalExtension::optional` turns it into `None`).
    #[error("the query returned no rows")]
    NoRows,
    #[error("sqlite: {0}")]
    Sqlite(rusqlite::Error),
    #[error("postgres: {}", postgres_message(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("cannot take a postgres connection: {0}")]
    Pool(String),
    /// A column's value is not what the row's reader asked for (or a stored value breaks a rule).
    #[error("column {column}: {message}")]
    Conversion { column: usize, message: String },
    /// A value to bind that the engine cannot take (an integer past i64, a kind the column refuses).
    #[error("cannot bind: {0}")]
    Bind(String),
}

/// The server's own words for a PostgreSQL error: its SQLSTATE and message, not just "db error"
/// (or, for an error of the connection, the error and its cause).
fn postgres_message(e: &tokio_postgres::Error) -> String {
    match (e.as_db_error(), std::error::Error::source(e)) {
        (Some(db), _) => format!("{} ({})", db.message(), db.code().code()),
        // The cause too: "error performing TLS handshake" alone does not say what was wrong.
        (None, Some(cause)) => format!("{e}: {cause}"),
        (None, None) => e.to_string(),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NoRows,
            e => Error::Sqlite(e),
        }
    }
}

impl Error {
    /// A stored value that does not read as the domain value it should be.
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Conversion {
            column: 0,
            message: message.into(),
        }
    }
}

/// `Result<T>` → `Result<Option<T>>`: no row is `None`, as rusqlite's `optional()`.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A value as both engines store it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
    /// An unsigned integer past `i64::MAX`: refused when bound, never stored wrapped.
    TooBig(u64),
}

impl Value<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Int(_) | Value::TooBig(_) => "an integer",
            Value::Real(_) => "a real number",
            Value::Text(_) => "text",
            Value::Blob(_) => "bytes",
        }
    }
}

/// A Rust value bound to a placeholder.
pub trait ToSql {
    fn to_value(&self) -> Value<'_>;
}

impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToSql> ToSql for Option<T> {
    fn to_value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, ToSql::to_value)
    }
}

macro_rules! int_to_sql {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_value(&self) -> Value<'_> {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
int_to_sql!(i64, i32, i16, u32, u16, u8, bool);

impl ToSql for u64 {
    fn to_value(&self) -> Value<'_> {
        i64::try_from(*self).map_or(Value::TooBig(*self), Value::Int)
    }
}

impl ToSql for usize {
    fn to_value(&self) -> Value<'_> {
        let wide = *self as u64;
        i64::try_from(wide).map_or(Value::TooBig(wide), Value::Int)
    }
}

impl ToSql for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl ToSql for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToSql for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToSql for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl ToSql for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<const N: usize> ToSql for [u8; N] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

/// A column read into a Rust value; the message says what was found instead.
pub trait FromSql: Sized {
    fn from_value(value: Value<'_>) -> Result<Self, String>;
}

fn expected<T>(what: &str, found: Value<'_>) -> Result<T, String> {
    Err(format!("expected {what}, found {}", found.kind()))
}

impl FromSql for i64 {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Int(i) => Ok(i),
            other => expected("an integer", other),
        }
    }
}

macro_rules! int_from_sql {
    ($($t:ty),*) => {$(
        impl FromSql for $t {
            fn from_value(value: Value<'_>) -> Result<Self, String> {
                let i = i64::from_value(value)?;
                <$t>::try_from(i).map_err(|_| format!("{i} is out of range for {}", stringify!($t)))
            }
        }
    )*};
}
int_from_sql!(i32, u32, u64, usize, u8, u16);

impl FromSql for bool {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        Ok(i64::from_value(value)? != 0)
    }
}

impl FromSql for f64 {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            other => expected("a real number", other),
        }
    }
}

impl FromSql for String {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Text(s) => Ok(s.to_owned()),
            other => expected("text", other),
        }
    }
}

impl FromSql for Vec<u8> {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Blob(b) => Ok(b.to_owned()),
            other => expected("bytes", other),
        }
    }
}

impl<const N: usize> FromSql for [u8; N] {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Blob(b) => b
                .try_into()
                .map_err(|_| format!("expected {N} bytes, found {}", b.len())),
            other => expected("bytes", other),
        }
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn from_value(value: Value<'_>) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// What binds to a statement's placeholders, in order.
pub trait Params {
    fn values(&self) -> Vec<Value<'_>>;
}

impl Params for &[&dyn ToSql] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(|p| p.to_value()).collect()
    }
}

impl<T: ToSql, const N: usize> Params for [T; N] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToSql::to_value).collect()
    }
}

impl Params for () {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

impl Params for Vec<&dyn ToSql> {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(|p| p.to_value()).collect()
    }
}

/// Placeholders from an iterator, as rusqlite's `params_from_iter`.
pub fn params_from_iter<'a>(
    values: impl IntoIterator<Item = &'a &'a dyn ToSql>,
) -> Vec<&'a dyn ToSql> {
    values.into_iter().copied().collect()
}

/// `params![a, b]`: the placeholders' values, of any [`ToSql`] types.
#[macro_export]
macro_rules! params {
    () => { &[] as &[&dyn $crate::store::sql::ToSql] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::sql::ToSql),+] as &[&dyn $crate::store::sql::ToSql] };
}
pub use crate::params;

/// A column's position in a row.
pub trait ColumnIndex {
    fn index(self) -> usize;
}

impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// One row of a result, from either engine.
pub struct Row<'r>(RowOf<'r>);

enum RowOf<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r tokio_postgres::Row),
}

impl Row<'_> {
    /// Column `idx` as a `T` (`r.get::<_, String>(1)`, as rusqlite).
    pub fn get<I: ColumnIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let column = idx.index();
        T::from_value(self.value(column)?).map_err(|message| Error::Conversion { column, message })
    }

    /// Column `column` as it is stored.
    pub fn value(&self, column: usize) -> Result<Value<'_>> {
        match &self.0 {
            RowOf::Sqlite(row) => sqlite_value(row.get_ref(column)?)
                .map_err(|message| Error::Conversion { column, message }),
            RowOf::Postgres(row) => pg::value(row, column),
        }
    }

    /// How many columns the row has.
    pub fn len(&self) -> usize {
        match &self.0 {
            RowOf::Sqlite(row) => row.as_ref().column_count(),
            RowOf::Postgres(row) => row.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn sqlite_value(value: rusqlite::types::ValueRef<'_>) -> Result<Value<'_>, String> {
    use rusqlite::types::ValueRef;
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(std::str::from_utf8(t).map_err(|e| e.to_string())?),
        ValueRef::Blob(b) => Value::Blob(b),
    })
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(i),
            Value::Real(f) => ValueRef::Real(f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
            Value::TooBig(u) => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    format!("{u} does not fit a 64-bit integer").into(),
                ));
            }
        }))
    }
}

/// Which engine a connection speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        })
    }
}

/// A connection inside the transaction its caller opened.
#[derive(Clone, Copy)]
pub enum Connection<'c> {
    Sqlite(&'c rusqlite::Connection),
    Postgres(&'c pg::Client),
}

impl<'c> Connection<'c> {
    pub fn engine(&self) -> Engine {
        match self {
            Connection::Sqlite(_) => Engine::Sqlite,
            Connection::Postgres(_) => Engine::Postgres,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        let values = params.values();
        match self {
            Connection::Sqlite(conn) => Ok(conn
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(values.iter()))?),
            Connection::Postgres(client) => client.execute(sql, &values),
        }
    }

    /// The first row, through `f`; [`Error::NoRows`] when there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut f = Some(f);
        let mut first = None;
        self.each(sql, params, Some(1), &mut |row| {
            if let Some(f) = f.take() {
                first = Some(f(row)?);
            }
            Ok(())
        })?;
        first.ok_or(Error::NoRows)
    }

    /// Every row, through `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, None, &mut |row| {
            out.push(f(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    fn each(
        &self,
        sql: &str,
        params: impl Params,
        limit: Option<usize>,
        f: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let values = params.values();
        match self {
            Connection::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(values.iter()))?;
                let mut seen = 0;
                while let Some(row) = rows.next()? {
                    f(&Row(RowOf::Sqlite(row)))?;
                    seen += 1;
                    if limit.is_some_and(|l| seen >= l) {
                        break;
                    }
                }
                Ok(())
            }
            Connection::Postgres(client) => {
                for row in client
                    .query(sql, &values)?
                    .iter()
                    .take(limit.unwrap_or(usize::MAX))
                {
                    f(&Row(RowOf::Postgres(row)))?;
                }
                Ok(())
            }
        }
    }

    /// Statements without placeholders, separated by `;`.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Connection::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Connection::Postgres(client) => client.batch(sql),
        }
    }

    /// A statement to run several times (rusqlite's `prepare_cached`; both engines cache the
    /// prepared statement by its text).
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'c>> {
        Ok(Statement {
            conn: *self,
            sql: sql.to_owned(),
        })
    }
}

/// A statement by its text, run on its connection.
pub struct Statement<'c> {
    conn: Connection<'c>,
    sql: String,
}

impl Statement<'_> {
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        self.conn.execute(&self.sql, params)
    }

    /// Every row through `f`, as rusqlite's iterator of results.
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let rows = self.conn.query_map(&self.sql, params, |row| Ok(f(row)))?;
        Ok(rows.into_iter())
    }

    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.conn.query_row(&self.sql, params, f)
    }
}

/// `?1` → `$1` outside quotes, for PostgreSQL (a bare `?` takes the next number).
pub fn numbered_dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    let mut next = 1;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    out.push_str(&next.to_string());
                    next += 1;
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_dollars_outside_quotes() {
        assert_eq!(
            numbered_dollars("SELECT ?1, '?2', x FROM t WHERE a = ?12 AND b = ?"),
            "SELECT $1, '?2', x FROM t WHERE a = $12 AND b = $1"
        );
    }

    #[test]
    fn sqlite_reads_and_binds_every_kind() {
        let raw = rusqlite::Connection::open_in_memory().unwrap();
        let conn = Connection::Sqlite(&raw);
        conn.execute_batch("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n INTEGER)")
            .unwrap();
        let n: Option<i64> = None;
        conn.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)",
            params![7_u32, 1.5, "文字", vec![1_u8, 2], n],
        )
        .unwrap();
        let row = conn
            .query_row("SELECT i, r, s, b, n FROM t", (), |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, f64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                ))
            })
            .unwrap();
        assert_eq!(row, (7, 1.5, "文字".to_owned(), vec![1, 2], None));
        assert!(matches!(
            conn.query_row("SELECT s FROM t", (), |r| r.get::<_, i64>(0)),
            Err(Error::Conversion { column: 0, .. })
        ));
        assert!(
            conn.query_row("SELECT i FROM t WHERE i = 8", (), |r| r.get::<_, i64>(0))
                .optional()
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            conn.execute("INSERT INTO t (i) VALUES (?1)", [u64::MAX]),
            Err(Error::Sqlite(_))
        ));
    }
}
