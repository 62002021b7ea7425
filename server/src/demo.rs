//! The demo community: three people a visitor can sign in as, one per role. Seeded at start
//! unless `--no-demo`; existing accounts are left as they are.

use crate::db::{Db, DbError};
use crate::password;
use crate::store::people::{self, NewPerson};
use citizen_core::account::{DisplayName, Role};
use citizen_core::phone::MobileNumber;

pub const COMMUNITY: &str = "demo";
pub const PASSWORD: &str = "demo-pass-2026";

pub struct DemoAccount {
    pub mobile: &'static str,
    pub name: &'static str,
    pub roles: &'static [Role],
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        mobile: "13800000001",
        name: "张明",
        roles: &[Role::Resident],
    },
    DemoAccount {
        mobile: "13800000002",
        name: "王芳",
        roles: &[Role::Resident, Role::Volunteer],
    },
    DemoAccount {
        mobile: "13800000003",
        name: "刘建国",
        roles: &[Role::Staff],
    },
];

pub async fn seed(db: &Db, now: i64) -> Result<(), DbError> {
    db.run(move |conn| -> Result<(), DbError> {
        for account in ACCOUNTS {
            let mobile = MobileNumber::parse(account.mobile).expect("demo numbers are valid");
            if people::exists(conn, &mobile)? {
                continue;
            }
            let name = DisplayName::parse(account.name).expect("demo names are valid");
            let hash = password::hash(PASSWORD);
            people::insert(
                conn,
                &NewPerson {
                    mobile: &mobile,
                    display_name: &name,
                    password_hash: &hash,
                    community: COMMUNITY,
                    roles: account.roles,
                },
                now,
            )?;
        }
        Ok(())
    })
    .await
}
