//! 我的: the account (sign-in where the configuration has a server, and from it sign-up and a new
//! password by SMS code), settings (language, elder mode), the community, privacy, and the other
//! modules.

mod account;
mod account_page;
mod demo_identity;
mod me_page;
mod messages;
mod reset_password;
mod sign_in_form;
mod sign_up;
mod signed_in_card;
pub mod sms_code;

pub use me_page::MePage;
pub use reset_password::ResetPasswordPage;
pub use sign_up::SignUpPage;
