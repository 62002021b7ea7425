//! The icons a catalog may give its categories, by name (`"icon": "id-card"`). The app draws each
//! one as an inline SVG (`src/components/icon.rs`, from the Lucide set), so a tile looks the same
//! on every phone; an emoji would depend on the phone's fonts and shows as an empty box where
//! there is none. A name not listed here makes the catalog invalid: serde's error names the value
//! and lists the known ones, so a typo is caught when the server starts or the catalog loads.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ServiceIcon {
    Briefcase,
    Building,
    GraduationCap,
    Handshake,
    Hospital,
    IdCard,
    Landmark,
    Lightbulb,
    PiggyBank,
    Pill,
    Receipt,
    Scale,
    ShieldCheck,
    ShoppingBag,
    Siren,
    Ticket,
    TrainFront,
    Trees,
    Users,
}

impl ServiceIcon {
    pub const ALL: [ServiceIcon; 19] = [
        ServiceIcon::Briefcase,
        ServiceIcon::Building,
        ServiceIcon::GraduationCap,
        ServiceIcon::Handshake,
        ServiceIcon::Hospital,
        ServiceIcon::IdCard,
        ServiceIcon::Landmark,
        ServiceIcon::Lightbulb,
        ServiceIcon::PiggyBank,
        ServiceIcon::Pill,
        ServiceIcon::Receipt,
        ServiceIcon::Scale,
        ServiceIcon::ShieldCheck,
        ServiceIcon::ShoppingBag,
        ServiceIcon::Siren,
        ServiceIcon::Ticket,
        ServiceIcon::TrainFront,
        ServiceIcon::Trees,
        ServiceIcon::Users,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_has_a_kebab_case_name_that_round_trips() {
        for icon in ServiceIcon::ALL {
            let name = serde_json::to_value(icon).unwrap();
            let name = name.as_str().unwrap();
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name}"
            );
            assert_eq!(
                serde_json::from_value::<ServiceIcon>(name.into()).unwrap(),
                icon
            );
        }
        assert_eq!(
            serde_json::to_value(ServiceIcon::IdCard).unwrap(),
            "id-card"
        );
    }
}
