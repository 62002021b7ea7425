//! The in-browser volunteering backend, for static hosting and demos: the core's activities (each
//! with its check-in secret), the mall's items and one points book, kept in localStorage, so every
//! rule (slots, the check-in window and rotating code, verify once, credit once, never below zero)
//! is the one the server applies. The demo identities act; staff actions need the demo staff
//! identity.
//!
//! First use seeds a demo relative to that moment: an activity running now, one tomorrow, one that
//! ended last week (resident A was verified there for 2 hours, resident B for 1.5), and three mall
//! items.
//!
//! Check-in attempts are not throttled here: on this backend the secret sits in the same browser
//! as the person typing, so a limit would protect nothing.

use super::DemoPerson;
use super::demo::member;
use crate::backend::error::ApiFailure;
use crate::backend::volunteer::VolunteerError;
use crate::browser::clock::unix_now as now;
use crate::storage::{self, Key};
use citizen_core::ids::MemberId;
use citizen_core::volunteer::{
    Activity, ActivityDetails, ActivityDraft, ActivityPhase, ActivityPlace, ActivityPlan,
    ActivityTime, ActivityTitle, ActivityView, Actor, AttendeeView, AwardRule, CheckInDisplay,
    CheckInSecret, EntryKind, ItemDetails, ItemName, LeaderboardView, MallItem, MallItemView,
    Month, NewMallItem, Points, PointsAccount, PointsBook, RedemptionLine, RedemptionState,
    RedemptionView, Refusal, RestockQuantity, Slots, StaffAction, VerifiedMinutes, code_at,
    leaderboard, verify_attendance, visible_redemptions,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// Every demo identity belongs to one community (as in the local requests backend).
const COMMUNITY: &str = "demo";

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

#[wasm_bindgen]
extern "C" {
    /// `crypto.getRandomValues`: fills the slice with cryptographically strong random bytes.
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(bytes: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// A fresh secret for an activity's check-in codes.
fn random_secret() -> Result<CheckInSecret, VolunteerError> {
    let mut bytes = [0u8; 20];
    get_random_values(&mut bytes).map_err(|_| {
        VolunteerError::Api(ApiFailure::Invalid("this browser has no crypto".into()))
    })?;
    Ok(CheckInSecret::from_random(bytes))
}

/// One activity and the secret its codes derive from (which never leaves this module).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredActivity {
    activity: Activity,
    secret: CheckInSecret,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    activities: Vec<StoredActivity>,
    items: Vec<MallItem>,
    /// Read back by replaying its entries through the core's rules.
    book: PointsBook,
}

fn load() -> Result<Stored, VolunteerError> {
    let stored = Option::<Stored>::clone(&storage::load_cached(Key::LocalVolunteer));
    match stored {
        Some(stored) => Ok(stored),
        None => {
            let seeded = seed(now())?;
            save(&seeded)?;
            Ok(seeded)
        }
    }
}

fn save(stored: &Stored) -> Result<(), VolunteerError> {
    storage::save_cached(Key::LocalVolunteer, &Some(stored.clone()))
        .map_err(|e| VolunteerError::Api(ApiFailure::Storage(e.to_string())))
}

/// A core refusal in the words every backend shares; one about who asks is "not allowed", as
/// the server's 403.
fn refused<E>(e: E) -> VolunteerError
where
    for<'a> Refusal: From<&'a E>,
{
    match Refusal::from(&e) {
        refusal if refusal.is_forbidden() => VolunteerError::Forbidden,
        refusal => VolunteerError::Refused(refusal),
    }
}

fn text<T>(parsed: Result<T, impl std::fmt::Debug>) -> T {
    parsed.expect("the demo's words fit their bounds")
}

fn points(n: u32) -> Points {
    text(Points::new(n))
}

fn plan(
    title: &str,
    place: &str,
    details: &str,
    (start, end): (i64, i64),
    slots: u32,
    award: AwardRule,
) -> ActivityPlan {
    ActivityPlan {
        title: text(ActivityTitle::parse(title)),
        place: text(ActivityPlace::parse(place)),
        details: Some(text(ActivityDetails::parse(details))),
        time: text(ActivityTime::new(start, end)),
        slots: text(Slots::new(slots)),
        award,
    }
}

/// The demo, relative to `now`, built through the core's own operations.
fn seed(now: i64) -> Result<Stored, VolunteerError> {
    let planner = DemoPerson::Staff.member();
    let a = DemoPerson::ResidentA.member();
    let b = DemoPerson::ResidentB.member();
    let (running, tomorrow, ended) = (random_secret()?, random_secret()?, random_secret()?);
    let tomorrow_start = now + DAY;

    let mut river = Activity::new(
        "act-1",
        COMMUNITY,
        plan(
            "沙河河道清洁",
            "沙河玉林段（玉林北路桥下集合）",
            "清理河岸垃圾，劝导文明游览。手套、夹子和垃圾袋由社区提供，请穿防滑鞋。",
            (now - 7 * DAY, now - 7 * DAY + 2 * HOUR),
            15,
            AwardRule::PerHour {
                per_hour: points(50),
                cap: points(150),
            },
        ),
        planner,
        now - 14 * DAY,
    );
    let start = river.plan.time.start();
    let end = river.plan.time.end();
    let mut book = PointsBook::new();
    for (member, minutes) in [(a, 120), (b, 90)] {
        let minutes = text(VerifiedMinutes::new(minutes));
        river.sign_up(member, start - 3 * DAY).map_err(refused)?;
        let code = code_at(&ended, start).to_string();
        river
            .check_in(member, &ended, &code, start)
            .map_err(refused)?;
        river.check_out(member, end).map_err(refused)?;
        verify_attendance(
            &mut river,
            &mut book,
            member,
            Actor::staff(planner),
            minutes,
            now,
        )
        .map_err(refused)?;
    }

    let mut sorting = Activity::new(
        "act-2",
        COMMUNITY,
        plan(
            "垃圾分类桶边督导",
            "玉林东路 2 号院垃圾分类投放点",
            "在投放点旁引导居民分类投放，记录错投情况。请提前 10 分钟到场领取红马甲。",
            (now - HOUR, now + 3 * HOUR),
            20,
            AwardRule::PerHour {
                per_hour: points(30),
                cap: points(120),
            },
        ),
        planner,
        now - 5 * DAY,
    );
    sorting.sign_up(b, now - 2 * DAY).map_err(refused)?;

    let visits = Activity::new(
        "act-3",
        COMMUNITY,
        plan(
            "关爱独居老人上门探访",
            "玉林社区党群服务中心（集合出发）",
            "两人一组探访辖区独居老人，聊天、测血压、检查燃气和用电安全。",
            (tomorrow_start, tomorrow_start + 3 * HOUR),
            8,
            AwardRule::Fixed { points: points(40) },
        ),
        planner,
        now - 3 * DAY,
    );

    let item = |id: &str, name: &str, details: &str, price: u32| MallItem {
        id: id.to_owned(),
        community: COMMUNITY.to_owned(),
        name: text(ItemName::parse(name)),
        details: Some(text(ItemDetails::parse(details))),
        price: points(price),
    };
    let items = vec![
        item(
            "item-1",
            "环保袋",
            "可折叠帆布袋。到党群服务中心一楼服务台领取。",
            50,
        ),
        item(
            "item-2",
            "电影票",
            "玉林影城 2D 电影票一张，三个月内有效。",
            300,
        ),
        item(
            "item-3",
            "体检套餐",
            "社区卫生服务中心基础体检一次，需提前预约。",
            800,
        ),
    ];
    for (item, stock) in items.iter().zip([20, 5, 1]) {
        book.restock(&item.id, stock, now - 30 * DAY)
            .map_err(refused)?;
    }

    Ok(Stored {
        activities: vec![
            StoredActivity {
                activity: river,
                secret: ended,
            },
            StoredActivity {
                activity: sorting,
                secret: running,
            },
            StoredActivity {
                activity: visits,
                secret: tomorrow,
            },
        ],
        items,
        book,
    })
}

fn who(token: &str) -> Result<DemoPerson, VolunteerError> {
    DemoPerson::from_token(token).map_err(VolunteerError::Api)
}

/// The demo person as the points book's rules see them.
fn actor(person: DemoPerson) -> Actor {
    Actor {
        id: person.member(),
        staff: person == DemoPerson::Staff,
    }
}

/// The demo person behind `token`, when the core lets them take this staff action.
fn staff(token: &str, action: StaffAction) -> Result<DemoPerson, VolunteerError> {
    let me = who(token)?;
    actor(me)
        .may(action)
        .map_err(|_| VolunteerError::Forbidden)?;
    Ok(me)
}

/// The personal name alone ("居民 A · 张明" → "张明"), which the leaderboard then masks (张*).
fn personal_name(id: MemberId) -> String {
    let full = member(id).name;
    match full.rsplit_once('·') {
        Some((_, name)) => name.trim().to_owned(),
        None => full,
    }
}

impl Stored {
    fn find(&self, id: &str) -> Result<&StoredActivity, VolunteerError> {
        self.activities
            .iter()
            .find(|a| a.activity.id == id)
            .ok_or(VolunteerError::NotFound)
    }

    fn find_mut(&mut self, id: &str) -> Result<&mut StoredActivity, VolunteerError> {
        self.activities
            .iter_mut()
            .find(|a| a.activity.id == id)
            .ok_or(VolunteerError::NotFound)
    }

    fn item(&self, id: &str) -> Result<&MallItem, VolunteerError> {
        self.items
            .iter()
            .find(|i| i.id == id)
            .ok_or(VolunteerError::NotFound)
    }

    /// What a points entry is about, in people's words: the activity's title, the item's name.
    fn what(&self, kind: &EntryKind) -> String {
        match kind {
            EntryKind::Award { activity, .. } => self
                .find(activity)
                .map(|a| a.activity.plan.title.as_str().to_owned())
                .unwrap_or_else(|_| activity.clone()),
            EntryKind::Redeem { item, .. }
            | EntryKind::CancelRedeem { item, .. }
            | EntryKind::HandOver { item, .. }
            | EntryKind::Restock { item, .. } => self
                .item(item)
                .map(|i| i.name.as_str().to_owned())
                .unwrap_or_else(|_| item.clone()),
        }
    }

    /// A redemption as the counter shows it: who redeemed what.
    fn line(&self, redemption: &citizen_core::volunteer::Redemption<'_>) -> RedemptionLine {
        let name = |item: &str| {
            self.item(item)
                .map(|i| i.name.as_str().to_owned())
                .unwrap_or_else(|_| item.to_owned())
        };
        RedemptionLine::new(redemption, &member, &name)
    }
}

fn view(activity: &Activity, viewer: MemberId, at: i64) -> ActivityView {
    ActivityView::new(activity, Some(viewer), at)
}

/// Loads, lets `f` change the state, and saves only when `f` succeeds: a refused change leaves
/// nothing half done.
fn change<T>(
    f: impl FnOnce(&mut Stored) -> Result<T, VolunteerError>,
) -> Result<T, VolunteerError> {
    let mut stored = load()?;
    let result = f(&mut stored)?;
    save(&stored)?;
    Ok(result)
}

/// Running and upcoming first, soonest first; then the ended ones, latest first.
fn order(a: &Activity, b: &Activity, at: i64) -> std::cmp::Ordering {
    let ended = |x: &Activity| x.phase(at) == ActivityPhase::Ended;
    match (ended(a), ended(b)) {
        (false, false) => a.plan.time.start().cmp(&b.plan.time.start()),
        (true, true) => b.plan.time.end().cmp(&a.plan.time.end()),
        (false, true) => std::cmp::Ordering::Less,
        (true, false) => std::cmp::Ordering::Greater,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct LocalVolunteer;

impl LocalVolunteer {
    pub async fn activities(self, token: &str) -> Result<Vec<ActivityView>, VolunteerError> {
        let me = who(token)?;
        let stored = load()?;
        let at = now();
        let mut activities: Vec<&Activity> =
            stored.activities.iter().map(|a| &a.activity).collect();
        activities.sort_by(|a, b| order(a, b, at));
        Ok(activities
            .into_iter()
            .map(|a| view(a, me.member(), at))
            .collect())
    }

    pub async fn activity(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        let me = who(token)?;
        let stored = load()?;
        Ok(view(&stored.find(id)?.activity, me.member(), now()))
    }

    pub async fn sign_up(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        let me = who(token)?;
        let at = now();
        change(|stored| {
            let activity = &mut stored.find_mut(id)?.activity;
            activity.sign_up(me.member(), at).map_err(refused)?;
            Ok(view(activity, me.member(), at))
        })
    }

    pub async fn cancel_sign_up(
        self,
        token: &str,
        id: &str,
    ) -> Result<ActivityView, VolunteerError> {
        let me = who(token)?;
        let at = now();
        change(|stored| {
            let activity = &mut stored.find_mut(id)?.activity;
            activity.cancel_signup(me.member(), at).map_err(refused)?;
            Ok(view(activity, me.member(), at))
        })
    }

    pub async fn check_in(
        self,
        token: &str,
        id: &str,
        code: &str,
    ) -> Result<ActivityView, VolunteerError> {
        let me = who(token)?;
        let at = now();
        change(|stored| {
            let StoredActivity { activity, secret } = stored.find_mut(id)?;
            activity
                .check_in(me.member(), secret, code, at)
                .map_err(refused)?;
            Ok(view(activity, me.member(), at))
        })
    }

    pub async fn check_out(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        let me = who(token)?;
        let at = now();
        change(|stored| {
            let activity = &mut stored.find_mut(id)?.activity;
            activity.check_out(me.member(), at).map_err(refused)?;
            Ok(view(activity, me.member(), at))
        })
    }

    pub async fn points(self, token: &str) -> Result<PointsAccount, VolunteerError> {
        let me = who(token)?;
        let stored = load()?;
        let what = |kind: &EntryKind| stored.what(kind);
        Ok(PointsAccount::new(&stored.book, me.member(), &what))
    }

    pub async fn mall(self, token: &str) -> Result<Vec<MallItemView>, VolunteerError> {
        who(token)?;
        let stored = load()?;
        Ok(stored
            .items
            .iter()
            .map(|item| MallItemView::new(item, &stored.book))
            .collect())
    }

    pub async fn redeem(self, token: &str, item: &str) -> Result<RedemptionView, VolunteerError> {
        let me = who(token)?;
        let at = now();
        change(|stored| {
            let found = stored.item(item)?.clone();
            let seq = stored
                .book
                .redeem(me.member(), &found.id, found.price, at)
                .map_err(refused)?
                .seq;
            Ok(RedemptionView {
                seq,
                item: MallItemView::new(&found, &stored.book),
                balance: stored.book.balance(me.member()),
                cancelled: false,
                state: RedemptionState::Waiting,
            })
        })
    }

    /// Cancels a redemption: mine before it is handed over; staff may cancel anyone's, and after
    /// hand-over only staff other than its redeemer.
    pub async fn cancel_redemption(
        self,
        token: &str,
        seq: u64,
    ) -> Result<RedemptionView, VolunteerError> {
        let me = who(token)?;
        let at = now();
        change(|stored| {
            let by = actor(me);
            let (member, item) = match &stored
                .book
                .cancel_redemption(seq, by, at)
                .map_err(refused)?
                .kind
            {
                EntryKind::CancelRedeem { member, item, .. } => (*member, item.clone()),
                _ => {
                    return Err(VolunteerError::Api(ApiFailure::Invalid(
                        "a cancellation".into(),
                    )));
                }
            };
            let found = stored.item(&item)?;
            Ok(RedemptionView {
                seq,
                item: MallItemView::new(found, &stored.book),
                balance: stored.book.balance(member),
                cancelled: true,
                state: RedemptionState::Cancelled,
            })
        })
    }

    /// Redemptions, newest first: staff see everyone's, a resident their own.
    pub async fn redemptions(
        self,
        token: &str,
        state: Option<RedemptionState>,
    ) -> Result<Vec<RedemptionLine>, VolunteerError> {
        let me = who(token)?;
        let stored = load()?;
        let found = visible_redemptions(&stored.book, actor(me), state);
        Ok(found.iter().map(|r| stored.line(r)).collect())
    }

    /// Staff mark a redemption handed over at the counter.
    pub async fn hand_over(self, token: &str, seq: u64) -> Result<RedemptionLine, VolunteerError> {
        let me = staff(token, StaffAction::HandOver)?;
        let at = now();
        change(|stored| {
            stored.book.hand_over(seq, actor(me), at).map_err(refused)?;
            let found = stored
                .book
                .redemption(seq)
                .ok_or(VolunteerError::Refused(Refusal::NotARedemption))?;
            Ok(stored.line(&found))
        })
    }

    pub async fn leaderboard(
        self,
        token: &str,
        month: Option<Month>,
    ) -> Result<LeaderboardView, VolunteerError> {
        let me = who(token)?;
        let stored = load()?;
        let month = month.unwrap_or_else(|| Month::in_china(now()));
        let rows = leaderboard(stored.book.entries(), COMMUNITY, month);
        Ok(LeaderboardView::new(
            month,
            rows,
            Some(me.member()),
            &personal_name,
        ))
    }

    pub async fn create_activity(
        self,
        token: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        let me = staff(token, StaffAction::PlanActivity)?;
        let plan = draft
            .clone()
            .plan()
            .map_err(|e| VolunteerError::Field(e.field().to_owned()))?;
        let secret = random_secret()?;
        let at = now();
        change(|stored| {
            let id = format!("act-{}", stored.activities.len() + 1);
            let activity = Activity::new(&id, COMMUNITY, plan, me.member(), at);
            let shown = view(&activity, me.member(), at);
            stored.activities.push(StoredActivity { activity, secret });
            Ok(shown)
        })
    }

    pub async fn edit_activity(
        self,
        token: &str,
        id: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        let me = staff(token, StaffAction::EditActivity)?;
        let plan = draft
            .clone()
            .plan()
            .map_err(|e| VolunteerError::Field(e.field().to_owned()))?;
        let at = now();
        change(|stored| {
            let activity = &mut stored.find_mut(id)?.activity;
            activity.edit(plan).map_err(refused)?;
            Ok(view(activity, me.member(), at))
        })
    }

    pub async fn check_in_code(
        self,
        token: &str,
        id: &str,
    ) -> Result<CheckInDisplay, VolunteerError> {
        staff(token, StaffAction::ShowCheckInCode)?;
        let stored = load()?;
        let StoredActivity { activity, secret } = stored.find(id)?;
        Ok(CheckInDisplay::new(activity, secret, now()))
    }

    pub async fn attendees(
        self,
        token: &str,
        id: &str,
    ) -> Result<Vec<AttendeeView>, VolunteerError> {
        staff(token, StaffAction::SeeAttendees)?;
        let stored = load()?;
        let activity = &stored.find(id)?.activity;
        Ok(activity
            .signups
            .iter()
            .map(|signup| AttendeeView::new(activity, signup, &member))
            .collect())
    }

    /// Verifies the time, then credits the points it earns, saved together (never one's own).
    pub async fn verify(
        self,
        token: &str,
        id: &str,
        person: i64,
        minutes: VerifiedMinutes,
    ) -> Result<AttendeeView, VolunteerError> {
        let me = staff(token, StaffAction::VerifyAttendance)?;
        let person = DemoPerson::ALL
            .into_iter()
            .find(|p| p.member_id() == person)
            .ok_or(VolunteerError::NotFound)?;
        let at = now();
        change(|stored| {
            let Stored {
                activities, book, ..
            } = stored;
            let activity = &mut activities
                .iter_mut()
                .find(|a| a.activity.id == id)
                .ok_or(VolunteerError::NotFound)?
                .activity;
            verify_attendance(activity, book, person.member(), actor(me), minutes, at)
                .map_err(refused)?;
            let signup = activity
                .signup(person.member())
                .ok_or(VolunteerError::NotFound)?;
            Ok(AttendeeView::new(activity, signup, &member))
        })
    }

    pub async fn add_item(
        self,
        token: &str,
        item: &NewMallItem,
    ) -> Result<MallItemView, VolunteerError> {
        staff(token, StaffAction::AddMallItem)?;
        let at = now();
        change(|stored| {
            let new = MallItem {
                id: format!("item-{}", stored.items.len() + 1),
                community: COMMUNITY.to_owned(),
                name: item.name.clone(),
                details: item.details.clone(),
                price: item.price,
            };
            stored
                .book
                .restock(&new.id, item.stock.get(), at)
                .map_err(refused)?;
            let shown = MallItemView::new(&new, &stored.book);
            stored.items.push(new);
            Ok(shown)
        })
    }

    pub async fn restock(
        self,
        token: &str,
        item: &str,
        quantity: RestockQuantity,
    ) -> Result<MallItemView, VolunteerError> {
        staff(token, StaffAction::Restock)?;
        let at = now();
        change(|stored| {
            let found = stored.item(item)?.clone();
            stored
                .book
                .restock(&found.id, quantity.get(), at)
                .map_err(refused)?;
            Ok(MallItemView::new(&found, &stored.book))
        })
    }
}
