//! The app's screens and their paths: the deep-link part of the embedding contract. A path that
//! parses is a screen that exists; everything else is "not found". The same table decides which
//! in-app paths a catalog tile may open.

use crate::ids::TileId;
use std::fmt;

/// A record's reference as it appears in a path (a request, an activity): 1–64 letters, digits,
/// `-` or `_` (local, server and Open311 ids all fit).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestRef(String);

impl RequestRef {
    pub fn parse(raw: &str) -> Option<RequestRef> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| RequestRef(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    Home,
    Services,
    Tile(TileId),
    Requests,
    NewRequest,
    Request(RequestRef),
    /// 志愿: activities to sign up for.
    Volunteer,
    /// One activity: sign up, check in, check out.
    Activity(RequestRef),
    /// My points ledger and star level.
    Points,
    /// 积分商城: redeem points.
    Mall,
    Leaderboard,
    Timebank,
    Me,
    /// 我的 › 注册: a new resident account with an SMS code.
    SignUp,
    /// 我的 › 忘记密码: a new password with an SMS code.
    ResetPassword,
    Staff,
    /// The staff workspace's request queue.
    StaffRequests,
    /// Staff: plan activities.
    StaffActivities,
    /// Staff: edit one activity and verify its attendees.
    StaffActivity(RequestRef),
    /// Staff: the full-screen check-in code of one activity.
    StaffCheckIn(RequestRef),
    /// Staff: time-bank records to verify, and the pool.
    StaffTimebank,
    /// Staff: the mall's items and stock.
    StaffMall,
}

impl Route {
    /// The route of a path relative to the app's base (`/services/housing-fund`). A trailing
    /// slash is forgiven; the query and fragment are not part of the path.
    pub fn parse(path: &str) -> Option<Route> {
        let trimmed = path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path);
        let mut segments = trimmed.strip_prefix('/')?.split('/');
        let route = match (segments.next()?, segments.next(), segments.next()) {
            ("", None, None) => Route::Home,
            ("services", None, None) => Route::Services,
            ("services", Some(id), None) => Route::Tile(TileId::parse(id).ok()?),
            ("requests", None, None) => Route::Requests,
            ("requests", Some("new"), None) => Route::NewRequest,
            ("requests", Some(id), None) => Route::Request(RequestRef::parse(id)?),
            ("volunteer", None, None) => Route::Volunteer,
            ("volunteer", Some("activities"), Some(id)) => Route::Activity(RequestRef::parse(id)?),
            ("volunteer", Some("points"), None) => Route::Points,
            ("volunteer", Some("mall"), None) => Route::Mall,
            ("volunteer", Some("leaderboard"), None) => Route::Leaderboard,
            ("timebank", None, None) => Route::Timebank,
            ("me", None, None) => Route::Me,
            ("me", Some("sign-up"), None) => Route::SignUp,
            ("me", Some("reset-password"), None) => Route::ResetPassword,
            ("staff", None, None) => Route::Staff,
            ("staff", Some("requests"), None) => Route::StaffRequests,
            ("staff", Some("activities"), None) => Route::StaffActivities,
            ("staff", Some("activities"), Some(id)) => Route::StaffActivity(RequestRef::parse(id)?),
            ("staff", Some("checkin"), Some(id)) => Route::StaffCheckIn(RequestRef::parse(id)?),
            ("staff", Some("timebank"), None) => Route::StaffTimebank,
            ("staff", Some("mall"), None) => Route::StaffMall,
            _ => return None,
        };
        Some(route)
    }

    /// Screens a catalog tile may open inside the app (not the home page, not a single record).
    pub fn is_tile_target(&self) -> bool {
        !matches!(
            self,
            Route::Home
                | Route::Tile(_)
                | Route::Request(_)
                | Route::Activity(_)
                | Route::StaffActivity(_)
                | Route::StaffCheckIn(_)
        )
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Home => f.write_str("/"),
            Route::Services => f.write_str("/services"),
            Route::Tile(id) => write!(f, "/services/{id}"),
            Route::Requests => f.write_str("/requests"),
            Route::NewRequest => f.write_str("/requests/new"),
            Route::Request(id) => write!(f, "/requests/{}", id.as_str()),
            Route::Volunteer => f.write_str("/volunteer"),
            Route::Activity(id) => write!(f, "/volunteer/activities/{}", id.as_str()),
            Route::Points => f.write_str("/volunteer/points"),
            Route::Mall => f.write_str("/volunteer/mall"),
            Route::Leaderboard => f.write_str("/volunteer/leaderboard"),
            Route::Timebank => f.write_str("/timebank"),
            Route::Me => f.write_str("/me"),
            Route::SignUp => f.write_str("/me/sign-up"),
            Route::ResetPassword => f.write_str("/me/reset-password"),
            Route::Staff => f.write_str("/staff"),
            Route::StaffRequests => f.write_str("/staff/requests"),
            Route::StaffActivities => f.write_str("/staff/activities"),
            Route::StaffActivity(id) => write!(f, "/staff/activities/{}", id.as_str()),
            Route::StaffCheckIn(id) => write!(f, "/staff/checkin/{}", id.as_str()),
            Route::StaffTimebank => f.write_str("/staff/timebank"),
            Route::StaffMall => f.write_str("/staff/mall"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_screen_of_the_contract_has_a_route() {
        for (path, route) in [
            ("/", Route::Home),
            ("/services", Route::Services),
            ("/services/", Route::Services),
            (
                "/services/housing-fund",
                Route::Tile(TileId::parse("housing-fund").unwrap()),
            ),
            ("/requests", Route::Requests),
            ("/requests/", Route::Requests),
            ("/requests/new", Route::NewRequest),
            (
                "/requests/R-2026_001",
                Route::Request(RequestRef::parse("R-2026_001").unwrap()),
            ),
            ("/volunteer", Route::Volunteer),
            ("/timebank", Route::Timebank),
            ("/me", Route::Me),
            ("/me/sign-up", Route::SignUp),
            ("/me/sign-up/", Route::SignUp),
            ("/me/reset-password", Route::ResetPassword),
            ("/staff", Route::Staff),
            ("/staff/requests", Route::StaffRequests),
            (
                "/volunteer/activities/act-7",
                Route::Activity(RequestRef::parse("act-7").unwrap()),
            ),
            ("/volunteer/points", Route::Points),
            ("/volunteer/mall", Route::Mall),
            ("/volunteer/leaderboard", Route::Leaderboard),
            ("/staff/activities", Route::StaffActivities),
            (
                "/staff/activities/7",
                Route::StaffActivity(RequestRef::parse("7").unwrap()),
            ),
            (
                "/staff/checkin/7",
                Route::StaffCheckIn(RequestRef::parse("7").unwrap()),
            ),
            ("/staff/timebank", Route::StaffTimebank),
            ("/staff/mall", Route::StaffMall),
        ] {
            assert_eq!(Route::parse(path), Some(route), "{path}");
        }
    }

    #[test]
    fn anything_else_is_not_found() {
        for path in [
            "",
            "services",
            "/nope",
            "/services/Bad_Id",
            "/services/a/b",
            "/requests/a/b",
            "/me/x",
            "/me/sign-up/x",
            "/me/signup",
            "/me/reset-password/1",
            "/volunteer/x",
            "/volunteer/activities",
            "/staff/checkin",
            "/requests/a b",
            "/services//",
        ] {
            assert_eq!(Route::parse(path), None, "{path:?}");
        }
    }

    fn any_route() -> impl Strategy<Value = Route> {
        prop_oneof![
            Just(Route::Home),
            Just(Route::Services),
            "[a-z0-9]{2,20}".prop_map(|s| Route::Tile(TileId::parse(&s).unwrap())),
            Just(Route::Requests),
            Just(Route::NewRequest),
            "[A-Za-z0-9_-]{1,64}"
                .prop_filter("new is its own screen", |s| s != "new")
                .prop_map(|s| Route::Request(RequestRef::parse(&s).unwrap())),
            Just(Route::Volunteer),
            "[A-Za-z0-9_-]{1,64}".prop_map(|s| Route::Activity(RequestRef::parse(&s).unwrap())),
            Just(Route::Points),
            Just(Route::Mall),
            Just(Route::Leaderboard),
            Just(Route::Timebank),
            Just(Route::Me),
            Just(Route::SignUp),
            Just(Route::ResetPassword),
            Just(Route::Staff),
            Just(Route::StaffRequests),
            Just(Route::StaffActivities),
            "[A-Za-z0-9_-]{1,64}"
                .prop_map(|s| Route::StaffActivity(RequestRef::parse(&s).unwrap())),
            "[A-Za-z0-9_-]{1,64}".prop_map(|s| Route::StaffCheckIn(RequestRef::parse(&s).unwrap())),
            Just(Route::StaffTimebank),
            Just(Route::StaffMall),
        ]
    }

    proptest! {
        #[test]
        fn a_route_survives_its_own_path(route in any_route()) {
            prop_assert_eq!(Route::parse(&route.to_string()), Some(route));
        }

        #[test]
        fn parsing_never_panics(path in ".{0,80}") {
            let _ = Route::parse(&path);
        }
    }
}
