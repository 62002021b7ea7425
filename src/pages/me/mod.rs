//! 我的: the account (sign-in where the configuration has a server), settings (language, elder
//! mode), the community, privacy, and the other modules.

mod account;
mod demo_identity;
mod me_page;
mod messages;
mod sign_in_form;
mod signed_in_card;

pub use me_page::MePage;
