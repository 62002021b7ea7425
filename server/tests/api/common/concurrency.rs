//! The concurrency driver, one for the API test (`tests/api/concurrency.rs`) and the bench
//! (`examples/bench_server.rs` includes this file): a thousand operations at once on one
//! community over loopback, each on its own connection, mixing the time bank (services logged,
//! confirmed and rejected by the right and the wrong people; gifts to family within and beyond
//! balances) with the mall (redemptions of a scarce item, of a cheap one and of one nobody can
//! afford; hand-overs at the counter by staff and attempts by residents; cancellations by the
//! redeemer, staff and strangers, before and after hand-over). Then the books, each invariant a
//! line in [`Run::broken`]: the time bank sums to zero with nobody below it, each confirmed
//! record paid once by its own transfer, each member's balance what the pool report says; every
//! points balance the sum of its entries and never below zero (the ledger replays through the
//! core's rules); no stock negative, each item sold exactly its redemptions less its
//! cancellations, no hand-over after a cancellation.
//!
//! It needs a server whose pool cap and look-up limit the volume does not reach
//! (`spawn_roomy_app`, or the bench's own), with the demo community seeded.

use super::loopback::dice;
use super::loopback::wire::{Error, exchange, exchange_keyed};
use citizen_core::account::{DisplayName, Role};
use citizen_core::phone::MobileNumber;
use citizen_server::AppState;
use citizen_server::store::db::Tx;
use citizen_server::store::sql::{Connection, params};
use citizen_server::store::{people, sessions, volunteer};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COMMUNITY: &str = "demo";
const HOUR: i64 = 3600;
/// The demo people who join the new members: their balances and points are not empty.
const DEMO_MEMBERS: [&str; 2] = ["13800000002", "13800000001"];
const DEMO_STAFF: &str = "13800000003";
/// Services logged before the run, for it to confirm and reject.
const RECORDS: u64 = 200;

/// (operation, status, detail) → how many answered so: the detail is a confirmation's
/// outcome, the item a redemption, cancellation or hand-over was of, or a refusal's code.
pub type Tally = BTreeMap<(&'static str, u16, String), u32>;

/// A member of the run: person id, mobile, session token.
struct Member {
    id: i64,
    mobile: String,
    token: String,
}

/// An item of the mall the run redeems.
struct Item {
    id: String,
    /// What the tally lines call it (item ids are made up by the server).
    label: &'static str,
    initial: u64,
}

/// What the operations pick from.
struct Stage {
    members: Vec<Member>,
    staff: String,
    /// Linked relatives, both ways round: (giver, receiver) by index.
    family: Vec<(usize, usize)>,
    items: Vec<Item>,
    /// Logged services: (record, provider, recipient).
    records: Vec<(u64, usize, usize)>,
    /// The server's time when the stage was set.
    now: i64,
}

pub struct Run {
    pub elapsed: Duration,
    pub tally: Tally,
    /// The time bank's pool report afterwards.
    pub pool: Value,
    /// The lowest points balance of the members afterwards.
    pub least_points: i64,
    /// Every invariant the books broke, in a line each; empty when they are whole.
    pub broken: Vec<String>,
    stage: Stage,
    /// What the database counted before the operations.
    before: Counts,
    ops: u64,
}

impl Run {
    pub fn count(&self, op: &str, status: u16, detail: &str) -> u64 {
        self.tally
            .iter()
            .filter(|((o, s, d), _)| *o == op && *s == status && d == detail)
            .map(|(_, n)| u64::from(*n))
            .sum()
    }

    /// How many `op`s succeeded (answered 2xx).
    pub fn succeeded(&self, op: &str) -> u64 {
        self.tally
            .iter()
            .filter(|((o, s, _), _)| *o == op && (200..300).contains(s))
            .map(|(_, n)| u64::from(*n))
            .sum()
    }

    fn label(&self, detail: &str) -> String {
        self.stage
            .items
            .iter()
            .find(|i| i.id == detail)
            .map_or_else(|| detail.to_owned(), |i| format!("({})", i.label))
    }

    /// The tally, a line per (operation, status, detail).
    pub fn lines(&self) -> Vec<String> {
        self.tally
            .iter()
            .map(|((op, status, detail), n)| {
                format!("{op:8} {status} {:20} {n}", self.label(detail))
            })
            .collect()
    }
}

/// Which statuses an operation may answer; anything else breaks the run.
fn allowed(op: &str) -> &'static [u16] {
    match op {
        "log" | "gift" => &[201, 422],
        "confirm" | "reject" => &[200, 403, 409],
        "redeem" => &[200, 409],
        _ => &[200, 403, 404, 409],
    }
}

/// `exchange`, which must answer `expected`.
async fn expect(
    addr: SocketAddr,
    (method, path, token, body): (&str, &str, &str, Option<String>),
    expected: u16,
) -> Result<Value, Error> {
    let (status, reply) = exchange(addr, method, path, token, body).await?;
    if status != expected {
        return Err(format!("{method} {path}: {status} {reply}").into());
    }
    Ok(reply)
}

/// A GET, which must answer 200.
async fn get(addr: SocketAddr, path: &str, token: &str) -> Result<Value, Error> {
    expect(addr, ("GET", path, token, None), 200).await
}

/// Six new members of the demo community and two of its demo people, and its staff, each with a
/// session opened in the database (sign-ins are rate limited and hash passwords).
async fn people(state: &AppState) -> Result<(Vec<Member>, String), Error> {
    let now = state.clock.now();
    let hash = citizen_server::password::hash(citizen_server::cli::demo::PASSWORD);
    state
        .db
        .transaction(Tx::Write, move |conn| -> Result<_, Error> {
            let session = |id| -> Result<String, Error> {
                let token = sessions::new_token();
                sessions::open(conn, &token, id, now)?;
                Ok(token.expose().to_owned())
            };
            let mut found = Vec::new();
            for (i, name) in ["陈一", "林二", "黄三", "周四", "吴五", "郑六"]
                .iter()
                .enumerate()
            {
                let mobile = format!("1390000{i:04}");
                let id = people::insert(
                    conn,
                    &people::NewPerson {
                        mobile: &MobileNumber::parse(&mobile)?,
                        display_name: &DisplayName::parse(name)?,
                        password_hash: &hash,
                        community: COMMUNITY,
                        roles: &[Role::Resident],
                    },
                    now,
                )?
                .ok_or("a member of the run exists already")?;
                found.push((id, mobile));
            }
            for mobile in DEMO_MEMBERS {
                let id = people::id_in_community(conn, &MobileNumber::parse(mobile)?, COMMUNITY)?
                    .ok_or("no demo member")?;
                found.push((id, mobile.to_owned()));
            }
            let mut members = Vec::new();
            for (id, mobile) in found {
                let token = session(id)?;
                members.push(Member {
                    id: id.get(),
                    mobile,
                    token,
                });
            }
            let staff =
                people::id_in_community(conn, &MobileNumber::parse(DEMO_STAFF)?, COMMUNITY)?
                    .ok_or("no demo staff")?;
            Ok((members, session(staff)?))
        })
        .await
}

/// The members, linked in a ring of families, each with 100 points from an activity running
/// now; two items for the mall beside the demo's unaffordable one; services logged to decide on.
async fn stage(addr: SocketAddr, state: &AppState) -> Result<Stage, Error> {
    let (members, staff) = people(state).await?;
    let n = members.len();
    let now = state.clock.now();
    let mut family = Vec::new();
    for i in 0..n {
        let j = (i + 1) % n;
        let body = json!({"person": members[i].id, "relative": members[j].id}).to_string();
        let link = (
            "POST",
            "/api/v1/timebank/family",
            staff.as_str(),
            Some(body),
        );
        expect(addr, link, 201).await?;
        family.push((i, j));
        family.push((j, i));
    }
    let draft = json!({
        "title": "积分发放活动", "place": "党群服务中心", "start": now, "end": now + 2 * HOUR,
        "slots": n, "award": {"kind": "fixed", "points": 100},
    });
    let create = ("POST", "/api/v1/volunteer/activities", staff.as_str());
    let activity = expect(
        addr,
        (create.0, create.1, create.2, Some(draft.to_string())),
        201,
    )
    .await?;
    let base = format!(
        "/api/v1/volunteer/activities/{}",
        activity["id"].as_str().unwrap_or("")
    );
    let code = get(addr, &format!("{base}/code"), &staff).await?;
    let code = json!({"code": code["code"]}).to_string();
    for member in &members {
        let token = member.token.as_str();
        for (action, body) in [("signup", "null"), ("checkin", &code), ("checkout", "null")] {
            let path = format!("{base}/{action}");
            expect(addr, ("POST", &path, token, Some(body.to_owned())), 200).await?;
        }
    }
    for member in &members {
        let path = format!("{base}/attendees/{}/verify", member.id);
        let verify = ("POST", path.as_str(), staff.as_str());
        expect(
            addr,
            (
                verify.0,
                verify.1,
                verify.2,
                Some(r#"{"minutes": 60}"#.into()),
            ),
            200,
        )
        .await?;
    }
    let mut items = Vec::new();
    for (label, name, price, stock) in [
        ("scarce", "限量纪念徽章", 40, 3),
        ("cheap", "社区定制水杯", 15, 30),
    ] {
        let body = json!({"name": name, "price": price, "stock": stock}).to_string();
        let add = ("POST", "/api/v1/volunteer/mall", staff.as_str(), Some(body));
        let item = expect(addr, add, 201).await?;
        let id = item["id"].as_str().ok_or("an item without an id")?;
        items.push(Item {
            id: id.to_owned(),
            label,
            initial: stock,
        });
    }
    let health_check = mall_stock(addr, &staff, "health-check").await?;
    items.push(Item {
        id: "health-check".to_owned(),
        label: "unaffordable",
        initial: health_check,
    });
    // The services, logged concurrently.
    let members = Arc::new(members);
    let mut logging = tokio::task::JoinSet::new();
    for k in 0..RECORDS {
        let members = Arc::clone(&members);
        logging.spawn(async move {
            let mut roll = dice(k + 1);
            let provider = roll(n as u64) as usize;
            let recipient = (provider + 1 + roll(n as u64 - 1) as usize) % n;
            let body = service(
                &members[recipient].mobile,
                now,
                15 * (1 + roll(8)),
                &mut roll,
            );
            let log = (
                "POST",
                "/api/v1/timebank/records",
                members[provider].token.as_str(),
            );
            let record = expect(addr, (log.0, log.1, log.2, Some(body)), 201).await?;
            let id = record["id"].as_u64().ok_or("a record without an id")?;
            Ok::<_, Error>((id, provider, recipient))
        });
    }
    let mut records = logging
        .join_all()
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    records.sort();
    let members = Arc::into_inner(members).ok_or("the members are still shared")?;
    Ok(Stage {
        members,
        staff,
        family,
        items,
        records,
        now,
    })
}

/// A service for `recipient` that began three hours before `now`, paid by the pool or (three
/// times in ten) by the recipient.
fn service(recipient: &str, now: i64, minutes: u64, roll: &mut impl FnMut(u64) -> u64) -> String {
    let payer = if roll(10) < 3 { "recipient" } else { "pool" };
    json!({
        "recipient": recipient, "service": "elder-care", "start": now - 3 * HOUR,
        "duration": minutes, "payer": payer, "note": "陪老人去社区医院复查",
    })
    .to_string()
}

/// Operation `k`'s POST, on server `k` of `servers` in turn. With more than one server it carries
/// an Idempotency-Key and is sent again to the next server, as a client's retry after a lost
/// answer may land on another replica: the retry must be the first reply, replayed (a refusal
/// of who is asking is given again), and store nothing more (the books' check counts what is
/// stored against the first replies).
async fn post_once(
    servers: &[SocketAddr],
    k: u64,
    path: &str,
    token: &str,
    body: &str,
) -> Result<(u16, Value), Error> {
    let turn = k as usize % servers.len();
    let first = servers[turn];
    if servers.len() == 1 {
        return exchange(first, "POST", path, token, Some(body.to_owned())).await;
    }
    let key = format!("run-{k}");
    let send = |to| exchange_keyed(to, "POST", path, token, Some(body.to_owned()), Some(&key));
    let (status, reply, _) = send(first).await?;
    let (again, replayed_reply, replayed) = send(servers[(turn + 1) % servers.len()]).await?;
    // Refusals about who is asking (401, 403), limits (429) and failures run again instead.
    let replays = !matches!(status, 401 | 403 | 429 | 500..);
    if replayed != replays || again != status || replayed_reply != reply {
        return Err(format!(
            "POST {path} retried on the other replica: {again} {replayed_reply} \
             (replayed: {replayed}), first {status} {reply}"
        )
        .into());
    }
    Ok((status, reply))
}

async fn mall(addr: SocketAddr, token: &str) -> Result<Vec<Value>, Error> {
    let reply = get(addr, "/api/v1/volunteer/mall", token).await?;
    Ok(reply.as_array().cloned().unwrap_or_default())
}

async fn mall_stock(addr: SocketAddr, token: &str, item: &str) -> Result<u64, Error> {
    mall(addr, token)
        .await?
        .iter()
        .find(|i| i["id"] == item)
        .and_then(|i| i["stock"].as_u64())
        .ok_or_else(|| format!("no item {item} in the mall").into())
}

/// Which rolls of an operation's first die redeem (see `operate`).
const REDEEMS: std::ops::Range<u64> = 45..75;

/// Operation `k`'s dice.
fn dice_of(k: u64) -> impl FnMut(u64) -> u64 {
    dice(5000 + k)
}

/// The redemptions made so far in the run, (seq, who), for cancels and hand-overs to race on.
struct Redeemed {
    made: Mutex<Vec<(u64, usize)>>,
    /// (redemptions made, redeem operations answered), and how many there are to answer.
    progress: tokio::sync::watch::Sender<(usize, usize)>,
    attempts: usize,
}

impl Redeemed {
    fn new(ops: u64) -> Redeemed {
        let attempts = (0..ops)
            .filter(|&k| REDEEMS.contains(&dice_of(k)(100)))
            .count();
        Redeemed {
            made: Mutex::default(),
            progress: tokio::sync::watch::Sender::new((0, 0)),
            attempts,
        }
    }

    /// A redeem operation was answered, with the redemption's (seq, who) when it was made.
    fn answered(&self, made: Option<(u64, usize)>) {
        let mut list = self.made.lock().unwrap_or_else(|e| e.into_inner());
        list.extend(made);
        let count = list.len();
        self.progress.send_modify(|(made, answered)| {
            *made = count;
            *answered += 1;
        });
    }

    /// One of the redemptions made, once there are a few: how many is rolled, so that cancels
    /// and hand-overs spread over the first twenty instead of all racing for the first or
    /// finding none, however fast the machine (or once every redeem operation is answered).
    async fn pick(&self, roll: &mut impl FnMut(u64) -> u64) -> Option<(u64, usize)> {
        let enough = 1 + roll(20) as usize;
        let all = self.attempts;
        let mut progress = self.progress.subscribe();
        let waited = progress.wait_for(|&(made, answered)| made >= enough || answered >= all);
        // A redeem operation that failed outright is never answered: the run is broken anyway.
        let _ = tokio::time::timeout(Duration::from_secs(30), waited).await;
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        (!made.is_empty()).then(|| made[roll(made.len() as u64) as usize])
    }
}

/// Operation `k` of the run: (operation, status, body).
async fn operate(
    servers: &[SocketAddr],
    k: u64,
    stage: &Stage,
    redeemed: &Redeemed,
) -> Result<(&'static str, u16, Value), Error> {
    let post = |path: &str, token: &str, body: &str| {
        let (path, token, body) = (path.to_owned(), token.to_owned(), body.to_owned());
        async move { post_once(servers, k, &path, &token, &body).await }
    };
    let (members, staff, family) = (&stage.members, &stage.staff, &stage.family);
    let (items, records, now) = (&stage.items, &stage.records, stage.now);
    let n = members.len() as u64;
    let mut roll = dice_of(k);
    let anyone = |roll: &mut dyn FnMut(u64) -> u64| &members[roll(n) as usize].token;
    let dice = roll(100);
    let (op, (status, reply)) = if dice < 10 {
        let provider = roll(n) as usize;
        let recipient = roll(n) as usize; // sometimes themself: refused
        let body = service(
            &members[recipient].mobile,
            now,
            15 * (1 + roll(12)),
            &mut roll,
        );
        let token = &members[provider].token;
        ("log", post("/api/v1/timebank/records", token, &body).await?)
    } else if dice < 30 {
        let (id, provider, recipient) = records[roll(records.len() as u64) as usize];
        let token = match roll(10) {
            0..6 => &members[recipient].token,
            6..8 => staff,
            8 => &members[provider].token,
            _ => anyone(&mut roll),
        };
        if roll(5) == 0 {
            let body = json!({"reason": "没有这次服务"}).to_string();
            let path = format!("/api/v1/timebank/records/{id}/reject");
            ("reject", post(&path, token, &body).await?)
        } else {
            let path = format!("/api/v1/timebank/records/{id}/confirm");
            ("confirm", post(&path, token, "").await?)
        }
    } else if dice < 45 {
        let (from, to) = family[roll(family.len() as u64) as usize];
        let body = json!({"to": members[to].id, "minutes": 1 + roll(120)}).to_string();
        let token = &members[from].token;
        ("gift", post("/api/v1/timebank/gifts", token, &body).await?)
    } else if REDEEMS.contains(&dice) {
        let who = roll(n) as usize;
        let item = &items[match roll(20) {
            0..10 => 0,
            10..17 => 1,
            _ => 2,
        }]
        .id;
        let path = format!("/api/v1/volunteer/mall/{item}/redeem");
        let (status, reply) = post(&path, &members[who].token, "null").await?;
        if status == 200 {
            let seq = reply["seq"].as_u64().ok_or("a redemption without a seq")?;
            redeemed.answered(Some((seq, who)));
        } else {
            redeemed.answered(None);
        }
        ("redeem", (status, reply))
    } else {
        let pick = redeemed.pick(&mut roll).await;
        let (seq, owner) = pick.unwrap_or((roll(40), roll(n) as usize));
        if roll(3) == 0 {
            // At the counter: mostly staff, sometimes the redeemer trying it.
            let token = if roll(5) == 0 {
                &members[owner].token
            } else {
                staff
            };
            let path = format!("/api/v1/volunteer/redemptions/{seq}/handover");
            ("handover", post(&path, token, "null").await?)
        } else {
            let token = match roll(20) {
                0..14 => &members[owner].token,
                14..17 => staff,
                _ => anyone(&mut roll),
            };
            let path = format!("/api/v1/volunteer/redemptions/{seq}/cancel");
            ("cancel", post(&path, token, "{}").await?)
        }
    };
    Ok((op, status, reply))
}

/// Sets the stage, runs `ops` operations at once against the server at `addr` (serving
/// `state`), and checks the books.
pub async fn run(addr: SocketAddr, state: &AppState, ops: u64) -> Result<Run, Error> {
    run_on(&[addr], state, ops).await
}

/// [`run`] against replicas on one database: operation `k` goes to `servers[k % n]`, and each
/// POST is retried on the next replica with its Idempotency-Key (see `post_once`). The stage is
/// set and the books checked through the first.
pub async fn run_on(servers: &[SocketAddr], state: &AppState, ops: u64) -> Result<Run, Error> {
    let addr = *servers.first().ok_or("no server")?;
    let servers: Arc<[SocketAddr]> = Arc::from(servers);
    let stage = Arc::new(stage(addr, state).await?);
    let before = state
        .db
        .transaction(Tx::Read, |conn| counts(conn, &[]))
        .await?;
    let redeemed = Arc::new(Redeemed::new(ops));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for k in 0..ops {
        let (stage, redeemed) = (Arc::clone(&stage), Arc::clone(&redeemed));
        let servers = Arc::clone(&servers);
        tasks.spawn(async move { operate(&servers, k, &stage, &redeemed).await });
    }
    let outcomes = tasks.join_all().await;
    let elapsed = started.elapsed();
    let mut tally = Tally::new();
    let mut broken = Vec::new();
    for outcome in outcomes {
        let (op, status, reply) = outcome?;
        if !allowed(op).contains(&status) {
            broken.push(format!("{op} answered {status}: {reply}"));
        }
        let detail = match (op, status) {
            ("confirm", 200) => reply["outcome"].as_str(),
            ("redeem" | "cancel", 200) => reply["item"]["id"].as_str(),
            ("handover", 200) => reply["item"].as_str(),
            (_, 400..) => reply["error"]["code"].as_str(),
            _ => Some(""),
        };
        let detail = detail.unwrap_or("(no detail in the reply)").to_owned();
        *tally.entry((op, status, detail)).or_default() += 1;
    }
    let stage = Arc::into_inner(stage).ok_or("the stage is still shared")?;
    let mut run = Run {
        elapsed,
        tally,
        pool: Value::Null,
        least_points: i64::MAX,
        broken,
        stage,
        before,
        ops,
    };
    check(addr, state, &mut run).await?;
    Ok(run)
}

impl Run {
    /// Checks the books again (a test that changes them behind the server's back sees what the
    /// check then says): [`Run::broken`] holds what they break now.
    pub async fn check_again(&mut self, addr: SocketAddr, state: &AppState) -> Result<(), Error> {
        self.broken.clear();
        check(addr, state, self).await
    }
}

/// What the database counts, before and after the run: (what, how many).
type Counts = BTreeMap<String, i64>;

const COUNTED: [(&str, &str); 8] = [
    ("records", "SELECT count(*) FROM timebank_records"),
    (
        "confirmed records",
        "SELECT count(*) FROM timebank_records WHERE state = 'confirmed'",
    ),
    (
        "service transfers",
        "SELECT count(*) FROM timebank_transfers WHERE kind = 'service'",
    ),
    (
        "gift transfers",
        "SELECT count(*) FROM timebank_transfers WHERE kind = 'gift'",
    ),
    (
        "redemptions",
        "SELECT count(*) FROM volunteer_points WHERE kind = 'redeem'",
    ),
    (
        "cancellations",
        "SELECT count(*) FROM volunteer_points WHERE kind = 'cancel_redeem'",
    ),
    (
        "hand-overs",
        "SELECT count(*) FROM volunteer_points WHERE kind = 'hand_over'",
    ),
    ("transfers", "SELECT count(*) FROM timebank_transfers"),
];

/// Sums that must be zero whatever ran: (what breaks if not, the query).
const ZERO: [(&str, &str); 4] = [
    (
        "the time bank's entries sum to zero",
        "SELECT CAST(coalesce(sum(delta), 0) AS BIGINT) FROM timebank_entries",
    ),
    (
        "every transfer has two entries",
        "SELECT (SELECT count(*) FROM timebank_entries)
              - 2 * (SELECT count(*) FROM timebank_transfers)",
    ),
    (
        "only confirmed records are paid, each by its own transfer, its duration",
        "SELECT count(*) FROM timebank_records r JOIN timebank_transfers t
         ON t.community = r.community AND t.record = r.id
         WHERE r.state <> 'confirmed' OR t.id <> r.transfer OR t.amount <> r.duration",
    ),
    (
        "no redemption is handed over after it was cancelled",
        "SELECT count(*) FROM volunteer_points h JOIN volunteer_points c
         ON c.community = h.community AND c.redemption = h.redemption
         WHERE h.kind = 'hand_over' AND c.kind = 'cancel_redeem' AND c.seq < h.seq",
    ),
];

/// The counts, and each of `members`' points as the sum of their ledger entries (`points <id>`).
fn counts(conn: &Connection, members: &[i64]) -> Result<Counts, Error> {
    let mut counts = Counts::new();
    for (what, sql) in COUNTED.iter().chain(&ZERO) {
        counts.insert(what.to_string(), conn.query_row(sql, (), |r| r.get(0))?);
    }
    for id in members {
        let sum = conn.query_row(
            "SELECT CAST(coalesce(sum(CASE kind WHEN 'redeem' THEN -points ELSE points END), 0)
                 AS BIGINT)
             FROM volunteer_points WHERE community = ?1 AND member = ?2",
            params![COMMUNITY, id],
            |r| r.get(0),
        )?;
        counts.insert(points_key(*id), sum);
    }
    Ok(counts)
}

/// The key of a member's points in [`Counts`].
fn points_key(id: i64) -> String {
    format!("points {id}")
}

/// Notes in `broken` that `what` was `got` where the books need `want`.
fn same(broken: &mut Vec<String>, what: &str, got: i64, want: i64) {
    if got != want {
        broken.push(format!("{what}: {got}, expected {want}"));
    }
}

/// Checks the books after the run, pushing each broken invariant onto `run.broken`.
async fn check(addr: SocketAddr, state: &AppState, run: &mut Run) -> Result<(), Error> {
    let mut broken = std::mem::take(&mut run.broken);
    let (stage, before, ops) = (&run.stage, &run.before, run.ops);
    let total: u64 = run.tally.values().map(|n| u64::from(*n)).sum();
    same(&mut broken, "operations answered", total as i64, ops as i64);

    // The time bank: the pool report, and each member's own account.
    let staff = stage.staff.as_str();
    let pool = get(addr, "/api/v1/timebank/pool", staff).await?;
    let balances: BTreeMap<i64, i64> = pool["balances"]
        .as_array()
        .ok_or("a pool report without balances")?
        .iter()
        .filter_map(|b| Some((b["member"]["id"].as_i64()?, b["balance"].as_i64()?)))
        .collect();
    let members_total: i64 = balances.values().sum();
    same(
        &mut broken,
        "sum of accounts",
        pool["sum_of_accounts"].as_i64().unwrap_or(-1),
        0,
    );
    same(
        &mut broken,
        "members' total",
        pool["members_total"].as_i64().unwrap_or(-1),
        members_total,
    );
    same(
        &mut broken,
        "pool balance",
        pool["pool_balance"].as_i64().unwrap_or(-1),
        -members_total,
    );
    for (id, balance) in &balances {
        if *balance < 0 {
            same(
                &mut broken,
                &format!("member {id}'s minutes, below zero"),
                *balance,
                0,
            );
        }
    }
    for member in &stage.members {
        let mine = get(addr, "/api/v1/timebank/me", &member.token).await?;
        let report = balances.get(&member.id).copied().unwrap_or(0);
        let what = format!("member {}'s minutes, as the pool report says", member.id);
        same(
            &mut broken,
            &what,
            mine["balance"].as_i64().unwrap_or(-1),
            report,
        );
    }

    // The database: what the run added is what answered success, and the sums hold.
    let ids: Vec<i64> = stage.members.iter().map(|m| m.id).collect();
    let after = state
        .db
        .transaction(Tx::Read, move |conn| counts(conn, &ids))
        .await?;
    let added = |what: &str| after[what] - before[what];
    let count = |op, status, detail| run.count(op, status, detail) as i64;
    let credited = count("confirm", 200, "credited");
    same(
        &mut broken,
        "records added",
        added("records"),
        count("log", 201, ""),
    );
    same(
        &mut broken,
        "records confirmed",
        added("confirmed records"),
        credited,
    );
    same(
        &mut broken,
        "service transfers (one per credit)",
        added("service transfers"),
        credited,
    );
    same(
        &mut broken,
        "gift transfers",
        added("gift transfers"),
        count("gift", 201, ""),
    );
    same(
        &mut broken,
        "redemptions",
        added("redemptions"),
        run.succeeded("redeem") as i64,
    );
    same(
        &mut broken,
        "cancellations",
        added("cancellations"),
        run.succeeded("cancel") as i64,
    );
    same(
        &mut broken,
        "hand-overs",
        added("hand-overs"),
        run.succeeded("handover") as i64,
    );
    for (what, _) in ZERO {
        same(&mut broken, what, after[what], 0);
    }

    let mut least_points = i64::MAX;
    // Points: each balance its entries' sum, at or above zero, the newest line of its history.
    for member in &stage.members {
        let account = get(addr, "/api/v1/volunteer/points", &member.token).await?;
        let balance = account["balance"].as_i64().unwrap_or(-1);
        let id = member.id;
        same(
            &mut broken,
            &format!("member {id}'s points, their entries' sum"),
            balance,
            after[&points_key(id)],
        );
        if balance < 0 {
            same(
                &mut broken,
                &format!("member {id}'s points, below zero"),
                balance,
                0,
            );
        }
        let newest = account["history"][0]["balance"].as_i64().unwrap_or(-1);
        same(
            &mut broken,
            &format!("member {id}'s newest history line"),
            newest,
            balance,
        );
        least_points = least_points.min(balance);
    }

    // Stock: sold = redeemed − cancelled, as the mall and the core's replay of the ledger say.
    let mall = mall(addr, staff).await?;
    let book = state
        .db
        .transaction(Tx::Read, |conn| {
            volunteer::load_book(conn, COMMUNITY).map_err(Error::from)
        })
        .await;
    let book = match book {
        Ok(book) => Some(book),
        Err(e) => {
            broken.push(format!("the ledger does not replay through the core: {e}"));
            None
        }
    };
    for item in &stage.items {
        let stock = mall
            .iter()
            .find(|i| i["id"] == item.id.as_str())
            .and_then(|i| i["stock"].as_u64())
            .ok_or_else(|| format!("the {} item left the mall", item.label))?;
        let sold = item.initial as i64 - stock as i64;
        let bought = count("redeem", 200, &item.id) - count("cancel", 200, &item.id);
        same(
            &mut broken,
            &format!("{} items sold", item.label),
            sold,
            bought,
        );
        if let Some(book) = &book {
            let replayed = book.stock(&item.id) as i64;
            same(
                &mut broken,
                &format!("{} stock replayed", item.label),
                replayed,
                stock as i64,
            );
        }
    }
    run.pool = pool;
    run.least_points = least_points;
    run.broken = broken;
    Ok(())
}
