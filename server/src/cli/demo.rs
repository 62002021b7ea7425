//! The demo community: three people a visitor can sign in as, one per role, and volunteering to
//! try at once (an activity running now, one tomorrow, one that ended last week, three items in
//! the mall, and points for 张明). Seeded at start only with `--demo` (`./run serve` passes it);
//! existing accounts are left as they are, and volunteering is seeded only into a community that
//! has no activity yet. It also registers the demo host app (`examples/host/`) with fixed
//! credentials, [`HOST_CLIENT_ID`] and [`HOST_SECRET`]: like the demo passwords, they are public
//! and for trying the bridge on this machine only.

use crate::password;
use crate::store::db::{Db, DbError, Tx};
use crate::store::hosts::{self, Credentials, NewHost};
use crate::store::people::{self, NewPerson};
use crate::store::sql::{Connection, OptionalExtension};
use crate::store::volunteer as store;
use citizen_core::account::{DisplayName, Role};
use citizen_core::host::{HostName, HostOrigin};
use citizen_core::phone::MobileNumber;
use citizen_core::volunteer::{
    Activity, ActivityDetails, ActivityPlace, ActivityPlan, ActivityTime, ActivityTitle, Actor,
    AwardRule, ItemDetails, ItemName, MallItem, Points, Slots, VerifiedMinutes, code_at,
    verify_attendance,
};

pub const COMMUNITY: &str = "demo";
pub const PASSWORD: &str = "demo-pass-2026";

/// The demo host app (`node examples/host/serve.mjs`): demo-only credentials, published here.
pub const HOST_CLIENT_ID: &str = "host_demo";
pub const HOST_SECRET: &str = "demo-host-secret-2026";
/// Where `examples/host/serve.mjs` serves the host page by default.
pub const HOST_ORIGIN: &str = "http://127.0.0.1:8090";

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
    // One write transaction: the people, the mall, the activities and the ledger, or nothing.
    db.transaction(Tx::Write, move |conn| -> Result<(), DbError> {
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
        seed_host(conn, now)?;
        seed_volunteering(conn, now)
    })
    .await
}

/// The demo host app, unless a host already has its client id. It signs in the demo people only
/// (it may not create residents).
fn seed_host(conn: &Connection, now: i64) -> Result<(), DbError> {
    let known: Option<i64> = conn
        .query_row(
            "SELECT id FROM hosts WHERE client_id = ?1",
            [HOST_CLIENT_ID],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_some() {
        return Ok(());
    }
    let credentials = Credentials {
        client_id: HOST_CLIENT_ID.to_owned(),
        secret: HOST_SECRET.to_owned(),
    };
    let host = NewHost {
        credentials: &credentials,
        name: &HostName::parse("演示宿主 Demo host").expect("the demo host's name is valid"),
        origin: &HostOrigin::parse(HOST_ORIGIN).expect("the demo host's origin is valid"),
        community: COMMUNITY,
        may_create_residents: false,
    };
    hosts::insert(conn, &host, now)?;
    Ok(())
}

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// A demo activity: id, title, place, details, start and end relative to now, slots, rule.
struct DemoActivity {
    id: &'static str,
    title: &'static str,
    place: &'static str,
    details: &'static str,
    from_now: (i64, i64),
    slots: u32,
    award: AwardRule,
}

fn points(n: u32) -> Points {
    Points::new(n).expect("demo points are in range")
}

fn demo_activities() -> [DemoActivity; 3] {
    [
        DemoActivity {
            id: "demo-clean-up",
            title: "小区环境清洁",
            place: "玉林北路 3 号院",
            details: "清理绿化带垃圾、整理楼道杂物。手套和垃圾袋由社区提供。",
            from_now: (-HOUR, 3 * HOUR),
            slots: 20,
            award: AwardRule::PerHour {
                per_hour: points(10),
                cap: points(40),
            },
        },
        DemoActivity {
            id: "demo-elder-visit",
            title: "敬老院陪伴",
            place: "玉林社区养老服务中心",
            details: "陪老人聊天、读报、下棋。",
            from_now: (DAY, DAY + 3 * HOUR),
            slots: 10,
            award: AwardRule::Fixed { points: points(20) },
        },
        DemoActivity {
            id: "demo-health-fair",
            title: "社区义诊志愿服务",
            place: "党群服务中心",
            details: "引导居民排队、登记、测量血压。",
            from_now: (-7 * DAY, -7 * DAY + 3 * HOUR),
            slots: 15,
            award: AwardRule::PerHour {
                per_hour: points(30),
                cap: points(60),
            },
        },
    ]
}

/// (id, name, details, price, stock)
const DEMO_ITEMS: &[(&str, &str, &str, u32, u32)] = &[
    ("eco-bag", "环保袋", "社区服务中心前台领取", 50, 20),
    ("movie-ticket", "电影票", "玉林影城 2D 电影票一张", 300, 5),
    ("health-check", "体检套餐", "社区医院基础体检一次", 800, 1),
];

/// The demo community's activities, mall and 张明's points for the activity of last week (two
/// hours verified: 60 points, enough for a bag at once). Everything goes through the core's rules
/// and the store, as the API writes it.
fn seed_volunteering(tx: &Connection, now: i64) -> Result<(), DbError> {
    if store::has_activities(tx, COMMUNITY)? {
        return Ok(());
    }
    let id_of = |mobile: &str| -> Result<Option<citizen_core::ids::MemberId>, DbError> {
        let mobile = MobileNumber::parse(mobile).expect("demo numbers are valid");
        Ok(people::id_in_community(tx, &mobile, COMMUNITY)?)
    };
    let (Some(staff), Some(resident)) = (id_of(ACCOUNTS[2].mobile)?, id_of(ACCOUNTS[0].mobile)?)
    else {
        // The demo people were taken elsewhere: nobody to plan or take part.
        return Ok(());
    };
    let mut book = store::load_book(tx, COMMUNITY)?;
    let mark = book.entries().len();
    for &(id, name, details, price, stock) in DEMO_ITEMS {
        let item = MallItem {
            id: id.to_owned(),
            community: COMMUNITY.to_owned(),
            name: ItemName::parse(name).expect("a valid demo item name"),
            details: Some(ItemDetails::parse(details).expect("valid demo item details")),
            price: points(price),
        };
        store::insert_item(tx, &item, now - 8 * DAY)?;
        book.restock(id, stock, now - 8 * DAY)
            .expect("demo stock is not empty");
    }
    for demo in demo_activities() {
        let (start, end) = (now + demo.from_now.0, now + demo.from_now.1);
        let plan = ActivityPlan {
            title: ActivityTitle::parse(demo.title).expect("a valid demo title"),
            place: ActivityPlace::parse(demo.place).expect("a valid demo place"),
            details: Some(ActivityDetails::parse(demo.details).expect("valid demo details")),
            time: ActivityTime::new(start, end).expect("demo activities end after they start"),
            slots: Slots::new(demo.slots).expect("demo slots are in range"),
            award: demo.award,
        };
        let created = start.min(now) - DAY;
        let mut activity = Activity::new(demo.id, COMMUNITY, plan, staff, created);
        let secret = store::new_secret();
        if end <= now {
            // 张明 took part: signed up the day before, checked in at the start, stayed two hours.
            let two_hours = VerifiedMinutes::new(120).expect("two hours is in range");
            let rules = "the demo attendance follows the rules";
            activity.sign_up(resident, start - DAY).expect(rules);
            let code = code_at(&secret, start).to_string();
            activity
                .check_in(resident, &secret, &code, start)
                .expect(rules);
            activity.check_out(resident, start + 2 * HOUR).expect(rules);
            verify_attendance(
                &mut activity,
                &mut book,
                resident,
                Actor::staff(staff),
                two_hours,
                end,
            )
            .expect(rules);
        }
        store::insert_activity(tx, &activity, &secret)?;
    }
    store::append(tx, COMMUNITY, &book.entries()[mark..])?;
    Ok(())
}
