//! Messages with numbers or names in them.

use super::Msg;
use citizen_core::Lang;
use citizen_core::config::{ConfigError, Expected};
use citizen_core::module::Module;

pub fn results_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("找到 {n} 项服务"),
        Lang::En if n == 1 => "1 service found".to_owned(),
        Lang::En => format!("{n} services found"),
    }
}

pub fn tiles_in_category(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 项"),
        Lang::En if n == 1 => "1 service".to_owned(),
        Lang::En => format!("{n} services"),
    }
}

/// "尝试次数过多，请 3 分钟后再试" / "Too many attempts. Try again in 3 minutes."
pub fn try_again_in(lang: Lang, minutes: u32) -> String {
    match lang {
        Lang::ZhCn => format!("尝试次数过多，请 {minutes} 分钟后再试"),
        Lang::En if minutes == 1 => "Too many attempts. Try again in 1 minute.".to_owned(),
        Lang::En => format!("Too many attempts. Try again in {minutes} minutes."),
    }
}

/// The SMS code button while it waits: "60 秒后可重新获取" / "Send again in 60 s".
pub fn resend_in(lang: Lang, seconds: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{seconds} 秒后可重新获取"),
        Lang::En => format!("Send again in {seconds} s"),
    }
}

/// "约 650 米 · 步行 9 分钟" / "650 m · 9 min walk".
pub fn walking(lang: Lang, metres: u32, minutes: u32) -> String {
    // Whole-number arithmetic: float formatting would add about 10 KB to the bundle.
    let tenths = (metres + 50) / 100;
    let km = format!("{}.{}", tenths / 10, tenths % 10);
    match (lang, metres >= 1000) {
        (Lang::ZhCn, true) => format!("约 {km} 公里 · 步行 {minutes} 分钟"),
        (Lang::ZhCn, false) => format!("约 {metres} 米 · 步行 {minutes} 分钟"),
        (Lang::En, true) => format!("{km} km · {minutes} min walk"),
        (Lang::En, false) => format!("{metres} m · {minutes} min walk"),
    }
}

/// "1 小时 30 分" / "1 h 30 min"; a sign when `signed` ("+1 小时", "−30 分").
pub fn duration(lang: Lang, minutes: i64, signed: bool) -> String {
    let sign = match (signed, minutes < 0) {
        (true, true) => "−",
        (true, false) => "+",
        _ => "",
    };
    let m = minutes.unsigned_abs();
    let (h, m) = (m / 60, m % 60);
    let text = match (lang, h, m) {
        (Lang::ZhCn, 0, m) => format!("{m} 分"),
        (Lang::ZhCn, h, 0) => format!("{h} 小时"),
        (Lang::ZhCn, h, m) => format!("{h} 小时 {m} 分"),
        (Lang::En, 0, m) => format!("{m} min"),
        (Lang::En, h, 0) => format!("{h} h"),
        (Lang::En, h, m) => format!("{h} h {m} min"),
    };
    format!("{sign}{text}")
}

/// The pool's monthly cap reached: "…本月还可以登记 1 小时 30 分。"
pub fn pool_minutes_left(lang: Lang, minutes: u64) -> String {
    let left = duration(lang, i64::try_from(minutes).unwrap_or(i64::MAX), false);
    match lang {
        Lang::ZhCn => format!(
            "社区公益池每月为每位成员支付的服务时长有上限，那个月您还可以登记 {left}。可以改短时长，或改由服务对象用自己的时间支付。"
        ),
        Lang::En => format!(
            "The community pool pays for a limited number of hours of each member's service a month: you can log {left} more for that month. Shorten the service, or let the recipient pay from their own hours."
        ),
    }
}

/// "第 2 张照片" / "Photo 2".
/// "20 积分" / "20 points".
pub fn points(lang: Lang, n: u64) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 积分"),
        Lang::En if n == 1 => "1 point".to_owned(),
        Lang::En => format!("{n} points"),
    }
}

pub fn photo_name(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("第 {n} 张照片"),
        Lang::En => format!("Photo {n}"),
    }
}

/// "删除第 2 张照片" / "Remove photo 2".
pub fn remove_photo(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("删除第 {n} 张照片"),
        Lang::En => format!("Remove photo {n}"),
    }
}

/// "正在上传照片 1/2" / "Uploading photo 1 of 2".
pub fn uploading_photo(lang: Lang, n: usize, total: usize) -> String {
    match lang {
        Lang::ZhCn => format!("正在上传照片 {n}/{total}"),
        Lang::En => format!("Uploading photo {n} of {total}"),
    }
}

/// "开放时间：9:00-18:00" / "Opening hours: 9:00-18:00".
pub fn labelled(lang: Lang, label: Msg, value: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{}：{value}", label.text(lang)),
        Lang::En => format!("{}: {value}", label.text(lang)),
    }
}

pub fn expected(lang: Lang, expected: Expected) -> &'static str {
    let msg = match expected {
        Expected::Text => Msg::ExpectText,
        Expected::LocalizedText => Msg::ExpectLocalizedText,
        Expected::Language => Msg::ExpectLanguage,
        Expected::Bool => Msg::ExpectBool,
        Expected::ModuleList => Msg::ExpectModuleList,
        Expected::BackendMap => Msg::ExpectBackendMap,
        Expected::BackendFor(Module::Requests) => Msg::ExpectBackendAny,
        Expected::BackendFor(_) => Msg::ExpectBackendNoOpen311,
        Expected::HexColour => Msg::ExpectHexColour,
        Expected::OriginList => Msg::ExpectOriginList,
        Expected::EndpointUrl => Msg::ExpectEndpointUrl,
        Expected::Routing => Msg::ExpectRouting,
    };
    msg.text(lang)
}

/// The error page's rows: (label, value) pairs, in the reader's language.
pub fn config_error_rows(lang: Lang, error: &ConfigError) -> Vec<(&'static str, String)> {
    let t = |m: Msg| m.text(lang);
    match error {
        ConfigError::Syntax {
            line,
            column,
            message,
        } => vec![(
            t(Msg::ConfigErrorSyntax),
            match lang {
                Lang::ZhCn => format!("第 {line} 行第 {column} 列：{message}"),
                Lang::En => format!("line {line}, column {column}: {message}"),
            },
        )],
        ConfigError::NotAnObject => vec![(t(Msg::ConfigErrorNotObject), String::new())],
        ConfigError::UnknownKey { key } => vec![
            (t(Msg::ConfigErrorKey), key.clone()),
            (
                t(Msg::ConfigErrorValue),
                t(Msg::ConfigErrorUnknownKey).to_owned(),
            ),
        ],
        ConfigError::Invalid {
            key,
            value,
            expected: e,
        } => vec![
            (t(Msg::ConfigErrorKey), key.clone()),
            (t(Msg::ConfigErrorValue), value.to_string()),
            (t(Msg::ConfigErrorExpected), expected(lang, *e).to_owned()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walking_reads_naturally() {
        assert_eq!(walking(Lang::ZhCn, 650, 9), "约 650 米 · 步行 9 分钟");
        assert_eq!(walking(Lang::En, 1300, 18), "1.3 km · 18 min walk");
    }

    #[test]
    fn counts_agree_in_english() {
        assert_eq!(results_count(Lang::En, 1), "1 service found");
        assert_eq!(results_count(Lang::En, 3), "3 services found");
    }
}
