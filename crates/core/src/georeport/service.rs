//! A city's services as GeoReport lists them (`services.json`), a service's definition
//! (`services/{code}.json`: its attributes), the answers a form gives those attributes, and the
//! contact fields a resident agrees to send. Read leniently (cities write these loosely: a missing
//! `group`, a numeric list key), checked strictly where the resident types.

use super::reply::{loose_text, required_text};
use crate::text::{BoundedText, TextError};
use crate::time::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// A flag a city wrote as `true`, `"true"` or `1` (anything else, or nothing, is false).
fn lenient_flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let text = loose_text(d)?.unwrap_or_default();
    Ok(matches!(text.to_ascii_lowercase().as_str(), "true" | "1"))
}

fn yes() -> bool {
    true
}

/// One entry of `services.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    #[serde(deserialize_with = "required_text")]
    pub service_code: String,
    pub service_name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the service has attributes to ask (`services/{code}.json`).
    #[serde(default, deserialize_with = "lenient_flag")]
    pub metadata: bool,
    /// `realtime`, `batch` or `blackbox`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub keywords: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
}

/// `services/{code}.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceDefinition {
    #[serde(deserialize_with = "required_text")]
    pub service_code: String,
    #[serde(default)]
    pub attributes: Vec<Attribute>,
}

/// What an attribute's answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Datatype {
    String,
    Number,
    Datetime,
    Text,
    Singlevaluelist,
    Multivaluelist,
    /// A datatype this client does not know: asked as text.
    #[serde(other)]
    Unknown,
}

/// One question of a service's definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// `false`: information to show, which takes no answer.
    #[serde(default = "yes", deserialize_with = "lenient_flag")]
    pub variable: bool,
    #[serde(deserialize_with = "required_text")]
    pub code: String,
    pub datatype: Datatype,
    #[serde(default, deserialize_with = "lenient_flag")]
    pub required: bool,
    #[serde(default)]
    pub datatype_description: Option<String>,
    #[serde(default)]
    pub order: i64,
    /// The question as the resident reads it.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub values: Vec<ListValue>,
}

/// A choice of a list attribute: `key` is sent, `name` is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListValue {
    #[serde(deserialize_with = "required_text")]
    pub key: String,
    #[serde(deserialize_with = "required_text")]
    pub name: String,
}

/// A form's answers, by attribute code: one value, or several for a `multivaluelist`.
pub type Answers = BTreeMap<String, Vec<String>>;

/// Longest answer a free-text attribute takes.
pub const ANSWER_MAX: usize = 2000;

/// Why an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AnswerProblem {
    #[error("an answer is required")]
    Missing,
    #[error("a number is required")]
    NotANumber,
    #[error("a date and time is required")]
    NotATime,
    #[error("not one of the choices")]
    NotAChoice,
    #[error("at most {ANSWER_MAX} characters")]
    TooLong,
}

/// An attribute whose answer breaks a rule, by its code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("attribute[{code}]: {problem}")]
pub struct AnswerError {
    pub code: String,
    pub problem: AnswerProblem,
}

impl ServiceDefinition {
    /// The questions to ask, in the city's `order` (ties keep the listed order), with the
    /// information-only ones among them.
    pub fn in_order(&self) -> Vec<&Attribute> {
        let mut shown: Vec<&Attribute> = self.attributes.iter().collect();
        shown.sort_by_key(|a| a.order);
        shown
    }

    /// Checks `answers` against the definition and writes them as GeoReport's form fields:
    /// `attribute[code]=value`, and `attribute[code][]=value` once per choice of a
    /// `multivaluelist`. Answers to questions the definition does not ask are dropped; a
    /// `datetime` typed as China time (`2026-12-05T09:30`, as a date-time input gives it) or
    /// RFC 3339 is sent as RFC 3339. The first refused answer in the city's order is reported.
    pub fn answer(&self, answers: &Answers) -> Result<Vec<(String, String)>, AnswerError> {
        let mut fields = Vec::new();
        for attribute in self.in_order().into_iter().filter(|a| a.variable) {
            let refuse = |problem| AnswerError {
                code: attribute.code.clone(),
                problem,
            };
            let given: Vec<&str> = answers
                .get(&attribute.code)
                .map(|values| {
                    values
                        .iter()
                        .map(|v| v.trim())
                        .filter(|v| !v.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            if given.is_empty() {
                if attribute.required {
                    return Err(refuse(AnswerProblem::Missing));
                }
                continue;
            }
            let name = format!("attribute[{}]", attribute.code);
            let one = given[0];
            let value = match attribute.datatype {
                Datatype::Multivaluelist => {
                    for choice in &given {
                        if !attribute.values.iter().any(|v| v.key == *choice) {
                            return Err(refuse(AnswerProblem::NotAChoice));
                        }
                    }
                    let many = format!("{name}[]");
                    fields.extend(given.iter().map(|v| (many.clone(), (*v).to_owned())));
                    continue;
                }
                Datatype::Singlevaluelist => {
                    if !attribute.values.iter().any(|v| v.key == one) {
                        return Err(refuse(AnswerProblem::NotAChoice));
                    }
                    one.to_owned()
                }
                Datatype::Number => match one.parse::<f64>() {
                    Ok(n) if n.is_finite() => one.to_owned(),
                    _ => return Err(refuse(AnswerProblem::NotANumber)),
                },
                Datatype::Datetime => Timestamp::from_china_input(one)
                    .or_else(|| Timestamp::parse(one).ok())
                    .map(Timestamp::to_rfc3339)
                    .ok_or_else(|| refuse(AnswerProblem::NotATime))?,
                Datatype::String | Datatype::Text | Datatype::Unknown => {
                    if one.chars().count() > ANSWER_MAX {
                        return Err(refuse(AnswerProblem::TooLong));
                    }
                    one.to_owned()
                }
            };
            fields.push((name, value));
        }
        Ok(fields)
    }
}

/// A name part: 1–40 characters.
pub type NamePart = BoundedText<1, 40>;

/// The contact fields GeoReport takes, sent only when the resident ticks consent. Each is
/// optional; what is given is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A contact field that breaks a rule, named as GeoReport names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("{field} is not valid")]
pub struct ContactError {
    pub field: &'static str,
}

impl Contact {
    /// The typed fields, trimmed and checked: names of 1–40 characters, a phone number of
    /// digits (with `+`, spaces, `-` and brackets; 5–20 digits, for a city may be anywhere), an
    /// email address with one `@` and a dot after it. Empty fields are left out.
    pub fn parse(
        first_name: &str,
        last_name: &str,
        phone: &str,
        email: &str,
    ) -> Result<Contact, ContactError> {
        let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let name = |field, raw: &str| -> Result<Option<String>, ContactError> {
            given(raw)
                .map(|s| {
                    NamePart::parse(&s)
                        .map(|n| n.as_str().to_owned())
                        .map_err(|_: TextError| ContactError { field })
                })
                .transpose()
        };
        let phone = given(phone)
            .map(|p| {
                let digits = p.chars().filter(char::is_ascii_digit).count();
                let allowed = p
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
                (allowed && (5..=20).contains(&digits))
                    .then_some(p)
                    .ok_or(ContactError { field: "phone" })
            })
            .transpose()?;
        let email = given(email)
            .map(|e| {
                let valid = e.len() <= 254
                    && !e.contains(char::is_whitespace)
                    && e.split_once('@').is_some_and(|(local, domain)| {
                        !local.is_empty()
                            && !domain.contains('@')
                            && domain
                                .split_once('.')
                                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
                    });
                valid.then_some(e).ok_or(ContactError { field: "email" })
            })
            .transpose()?;
        Ok(Contact {
            first_name: name("first_name", first_name)?,
            last_name: name("last_name", last_name)?,
            phone,
            email,
        })
    }

    /// GeoReport's form fields for what is given.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("phone", &self.phone),
            ("email", &self.email),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.as_deref().map(|v| (name, v)))
        .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every datatype, as a city might write it (numbers as keys, flags as text, out of order).
    const DEFINITION: &str = r#"{"service_code": 4021, "attributes": [
        {"variable": true, "code": "lamps", "datatype": "number", "required": "true", "order": 2,
         "description": "How many lamps are out?"},
        {"variable": true, "code": "pole", "datatype": "string", "required": true, "order": 1,
         "description": "Pole number"},
        {"variable": false, "code": "info", "datatype": "string", "required": false, "order": 0,
         "description": "Call 96xxx at night"},
        {"variable": true, "code": "seen", "datatype": "datetime", "required": false, "order": 3,
         "description": "When?"},
        {"variable": true, "code": "more", "datatype": "text", "required": false, "order": 4,
         "description": "Details"},
        {"variable": true, "code": "kind", "datatype": "singlevaluelist", "required": true,
         "order": 5, "description": "Kind", "values": [{"key": 1, "name": "LED"}, {"key": "2", "name": "Sodium"}]},
        {"variable": true, "code": "hazards", "datatype": "multivaluelist", "required": false,
         "order": 6, "description": "Hazards", "values": [{"key": "wires", "name": "Wires"}, {"key": "dark", "name": "Dark"}]},
        {"code": "new", "datatype": "geometry", "order": 7, "description": "Draw it"}
    ]}"#;

    fn definition() -> ServiceDefinition {
        serde_json::from_str(DEFINITION).unwrap()
    }

    fn answers(pairs: &[(&str, &[&str])]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn a_loosely_written_definition_reads_and_sorts_by_order() {
        let d = definition();
        assert_eq!(d.service_code, "4021");
        let codes: Vec<&str> = d.in_order().iter().map(|a| a.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "info", "pole", "lamps", "seen", "more", "kind", "hazards", "new"
            ]
        );
        assert!(d.attributes[0].required, "\"true\" is true");
        assert!(d.attributes[7].variable, "variable by default");
        assert_eq!(d.attributes[7].datatype, Datatype::Unknown);
        assert_eq!(d.attributes[5].values[0].key, "1");
        let services: Vec<Service> = serde_json::from_str(
            r#"[{"service_code": "a1", "service_name": "Pothole", "metadata": "true", "type": "realtime"},
                {"service_code": 7, "service_name": "Graffiti", "group": "Streets", "keywords": "paint"}]"#,
        )
        .unwrap();
        assert!(services[0].metadata);
        assert_eq!(services[0].group, None);
        assert_eq!(services[1].service_code, "7");
        assert!(!services[1].metadata);
    }

    #[test]
    fn answers_become_attribute_fields_lists_repeated() {
        let fields = definition()
            .answer(&answers(&[
                ("pole", &[" P-17 "]),
                ("lamps", &["3"]),
                ("seen", &["2026-12-05T21:30"]),
                ("kind", &["2"]),
                ("hazards", &["wires", "dark"]),
                ("info", &["ignored"]),
                ("unasked", &["dropped"]),
            ]))
            .unwrap();
        assert_eq!(
            fields,
            vec![
                ("attribute[pole]".to_owned(), "P-17".to_owned()),
                ("attribute[lamps]".to_owned(), "3".to_owned()),
                (
                    "attribute[seen]".to_owned(),
                    "2026-12-05T13:30:00Z".to_owned()
                ),
                ("attribute[kind]".to_owned(), "2".to_owned()),
                ("attribute[hazards][]".to_owned(), "wires".to_owned()),
                ("attribute[hazards][]".to_owned(), "dark".to_owned()),
            ]
        );
    }

    #[test]
    fn each_rule_refuses_by_the_attribute_code() {
        let d = definition();
        let base: &[(&str, &[&str])] = &[("pole", &["P"]), ("lamps", &["1"]), ("kind", &["1"])];
        assert!(d.answer(&answers(base)).is_ok());
        let with = |code: &'static str, values: &'static [&'static str]| {
            let mut a = answers(base);
            a.insert(
                code.to_owned(),
                values.iter().map(|s| s.to_string()).collect(),
            );
            d.answer(&a).unwrap_err()
        };
        let problem = |code: &str, problem| AnswerError {
            code: code.to_owned(),
            problem,
        };
        assert_eq!(
            with("pole", &["  "]),
            problem("pole", AnswerProblem::Missing)
        );
        assert_eq!(
            with("lamps", &["three"]),
            problem("lamps", AnswerProblem::NotANumber)
        );
        assert_eq!(
            with("lamps", &["NaN"]),
            problem("lamps", AnswerProblem::NotANumber)
        );
        assert_eq!(
            with("seen", &["yesterday"]),
            problem("seen", AnswerProblem::NotATime)
        );
        assert_eq!(
            with("kind", &["3"]),
            problem("kind", AnswerProblem::NotAChoice)
        );
        assert_eq!(
            with("hazards", &["wires", "fire"]),
            problem("hazards", AnswerProblem::NotAChoice)
        );
        let long: &'static str = Box::leak("字".repeat(ANSWER_MAX + 1).into_boxed_str());
        let long: &'static [&'static str] = Box::leak(Box::new([long]));
        assert_eq!(with("more", long), problem("more", AnswerProblem::TooLong));
        assert_eq!(
            d.answer(&Answers::new()).unwrap_err(),
            problem("pole", AnswerProblem::Missing),
            "the first in the city's order"
        );
    }

    #[test]
    fn contact_fields_are_checked_and_only_given_ones_sent() {
        let c = Contact::parse(" 小明 ", "", "+86 138-0000-0001", "").unwrap();
        assert_eq!(
            c.fields(),
            vec![("first_name", "小明"), ("phone", "+86 138-0000-0001")]
        );
        assert!(Contact::parse("", "", "", "").unwrap().is_empty());
        let field = |r: Result<Contact, ContactError>| r.unwrap_err().field;
        assert_eq!(field(Contact::parse("", "", "12ab", "")), "phone");
        assert_eq!(field(Contact::parse("", "", "1234", "")), "phone");
        assert_eq!(field(Contact::parse("", "", "", "a@b")), "email");
        assert_eq!(field(Contact::parse("", "", "", "a b@c.d")), "email");
        assert_eq!(field(Contact::parse("", "", "", "@c.d")), "email");
        assert_eq!(
            field(Contact::parse(&"名".repeat(41), "", "", "")),
            "first_name"
        );
        assert!(Contact::parse("", "", "", "li@city.example").is_ok());
    }

    proptest! {
        /// Whatever is typed, every field sent is an asked, variable attribute's, and a list's
        /// values are among its keys.
        #[test]
        fn only_asked_attributes_and_listed_choices_are_sent(
            pole in ".{0,5}", lamps in ".{0,4}", kind in prop::sample::select(vec!["1", "2", "3", ""]),
            hazards in prop::collection::vec(prop::sample::select(vec!["wires", "dark", "x"]), 0..3),
        ) {
            let d = definition();
            let mut a = Answers::new();
            a.insert("pole".into(), vec![pole]);
            a.insert("lamps".into(), vec![lamps]);
            a.insert("kind".into(), vec![kind.to_owned()]);
            a.insert("hazards".into(), hazards.iter().map(|s| s.to_string()).collect());
            a.insert("info".into(), vec!["x".into()]);
            if let Ok(fields) = d.answer(&a) {
                for (name, value) in fields {
                    let code = name.trim_start_matches("attribute[").split(']').next().unwrap().to_owned();
                    let attribute = d.attributes.iter().find(|x| x.code == code).unwrap();
                    prop_assert!(attribute.variable);
                    if !attribute.values.is_empty() {
                        prop_assert!(attribute.values.iter().any(|v| v.key == value));
                    }
                }
            }
        }
    }
}
