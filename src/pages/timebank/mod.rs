//! 时间银行: my banked time, services to confirm, logging a service I gave, gifts to family,
//! and my statement.

mod messages;
mod statement;
mod statement_row;
mod timebank_page;
mod window;

pub use timebank_page::TimebankPage;
