//! What a request is about, and who handles it by default. The first nine are Chengdu's 平安社区
//! categories (the 百日攻坚 campaign's "9 类 29 项"); the rest are the common 12345 hotline ones.

use crate::Localized;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A category's stable code, as stored and sent (`fire-safety`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CategoryCode(&'static str);

impl CategoryCode {
    pub fn parse(raw: &str) -> Option<CategoryCode> {
        CATEGORIES.iter().find(|c| c.code.0 == raw).map(|c| c.code)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    pub fn category(self) -> &'static Category {
        CATEGORIES
            .iter()
            .find(|c| c.code == self)
            .expect("a code exists only for a listed category")
    }
}

impl Serialize for CategoryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for CategoryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        CategoryCode::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("there is no request category {raw}")))
    }
}

impl fmt::Display for CategoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The departments requests are dispatched to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Department {
    /// 社区网格员: the community's own grid workers.
    CommunityGrid,
    /// 消防救援站
    FireRescue,
    /// 人民调解委员会 / 司法所
    Mediation,
    /// 市场监管所
    MarketRegulation,
    /// 交警中队
    TrafficPolice,
    /// 城管执法中队 (市容、环境)
    UrbanManagement,
    /// 派出所
    PoliceStation,
    /// 应急管理办
    EmergencyManagement,
    /// 民政和社工站
    CivilAffairs,
    /// 生态环境 (噪音)
    Environment,
    /// 住建 / 物业监管
    HousingAndProperty,
    /// 市政设施 (路灯、井盖、道路)
    Municipal,
    /// 社区卫生服务中心 / 疾控
    PublicHealth,
}

impl Department {
    pub const ALL: [Department; 13] = [
        Department::CommunityGrid,
        Department::FireRescue,
        Department::Mediation,
        Department::MarketRegulation,
        Department::TrafficPolice,
        Department::UrbanManagement,
        Department::PoliceStation,
        Department::EmergencyManagement,
        Department::CivilAffairs,
        Department::Environment,
        Department::HousingAndProperty,
        Department::Municipal,
        Department::PublicHealth,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Department::CommunityGrid => "community-grid",
            Department::FireRescue => "fire-rescue",
            Department::Mediation => "mediation",
            Department::MarketRegulation => "market-regulation",
            Department::TrafficPolice => "traffic-police",
            Department::UrbanManagement => "urban-management",
            Department::PoliceStation => "police-station",
            Department::EmergencyManagement => "emergency-management",
            Department::CivilAffairs => "civil-affairs",
            Department::Environment => "environment",
            Department::HousingAndProperty => "housing-and-property",
            Department::Municipal => "municipal",
            Department::PublicHealth => "public-health",
        }
    }

    pub fn parse(raw: &str) -> Option<Department> {
        Department::ALL.into_iter().find(|d| d.code() == raw)
    }

    pub fn name(self) -> Localized {
        let (zh, en) = match self {
            Department::CommunityGrid => ("社区网格员", "Community grid workers"),
            Department::FireRescue => ("消防救援站", "Fire and rescue station"),
            Department::Mediation => ("人民调解委员会", "People's mediation committee"),
            Department::MarketRegulation => ("市场监管所", "Market regulation office"),
            Department::TrafficPolice => ("交警中队", "Traffic police"),
            Department::UrbanManagement => ("城管执法中队", "Urban management"),
            Department::PoliceStation => ("派出所", "Police station"),
            Department::EmergencyManagement => ("应急管理办", "Emergency management office"),
            Department::CivilAffairs => ("民政和社工站", "Civil affairs and social work station"),
            Department::Environment => ("生态环境所", "Environment office"),
            Department::HousingAndProperty => ("住建和物业监管", "Housing and property oversight"),
            Department::Municipal => ("市政设施管理所", "Municipal facilities"),
            Department::PublicHealth => ("社区卫生服务中心", "Community health centre"),
        };
        Localized {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: CategoryCode,
    pub zh: &'static str,
    pub en: &'static str,
    pub department: Department,
    /// One of the nine 平安社区 categories.
    pub safe_community: bool,
}

impl Category {
    /// The category's name in `lang`.
    pub fn name(&self, lang: crate::Lang) -> &'static str {
        match lang {
            crate::Lang::ZhCn => self.zh,
            crate::Lang::En => self.en,
        }
    }
}

const fn category(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    department: Department,
    safe_community: bool,
) -> Category {
    Category {
        code: CategoryCode(code),
        zh,
        en,
        department,
        safe_community,
    }
}

pub static CATEGORIES: [Category; 14] = [
    category(
        "fire-safety",
        "消防安全",
        "Fire safety",
        Department::FireRescue,
        true,
    ),
    category(
        "disputes",
        "矛盾纠纷",
        "Neighbour disputes",
        Department::Mediation,
        true,
    ),
    category(
        "food-safety",
        "食品安全",
        "Food safety",
        Department::MarketRegulation,
        true,
    ),
    category(
        "traffic-safety",
        "交通安全",
        "Traffic safety",
        Department::TrafficPolice,
        true,
    ),
    category(
        "living-environment",
        "人居环境",
        "Living environment",
        Department::UrbanManagement,
        true,
    ),
    category(
        "public-order",
        "治安防范",
        "Public order and crime prevention",
        Department::PoliceStation,
        true,
    ),
    category(
        "work-safety",
        "安全生产",
        "Workplace and building safety",
        Department::EmergencyManagement,
        true,
    ),
    category(
        "vulnerable-people",
        "特殊人群关爱",
        "Care for vulnerable people",
        Department::CivilAffairs,
        true,
    ),
    category(
        "disaster-prevention",
        "防灾减灾",
        "Disaster prevention",
        Department::EmergencyManagement,
        true,
    ),
    category("noise", "噪音扰民", "Noise", Department::Environment, false),
    category(
        "property",
        "物业管理",
        "Property management",
        Department::HousingAndProperty,
        false,
    ),
    category(
        "municipal",
        "市政设施",
        "Municipal facilities (lights, roads, manholes)",
        Department::Municipal,
        false,
    ),
    category(
        "public-health",
        "公共卫生",
        "Public health",
        Department::PublicHealth,
        false,
    ),
    category("other", "其他", "Other", Department::CommunityGrid, false),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nine_safe_community_categories_and_the_common_hotline_ones() {
        assert_eq!(CATEGORIES.iter().filter(|c| c.safe_community).count(), 9);
        for zh in [
            "消防安全",
            "矛盾纠纷",
            "食品安全",
            "交通安全",
            "人居环境",
            "噪音扰民",
            "物业管理",
            "市政设施",
            "公共卫生",
            "其他",
        ] {
            assert!(CATEGORIES.iter().any(|c| c.zh == zh), "{zh}");
        }
    }

    #[test]
    fn codes_and_departments_round_trip() {
        let codes: HashSet<_> = CATEGORIES.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes.len(), CATEGORIES.len(), "codes are unique");
        for c in &CATEGORIES {
            assert_eq!(CategoryCode::parse(c.code.as_str()), Some(c.code));
            assert_eq!(c.code.category(), c);
        }
        assert_eq!(CategoryCode::parse("fire"), None);
        for d in Department::ALL {
            assert_eq!(Department::parse(d.code()), Some(d));
            assert_eq!(
                serde_json::to_value(d).unwrap(),
                d.code(),
                "the wire form is the code"
            );
        }
    }
}
