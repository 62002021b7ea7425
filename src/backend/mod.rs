//! Where each module's data comes from. A module has one backend type (an enum over its
//! implementations), chosen from `config.json`; screens call it and never see URLs.

pub mod account;
pub mod catalog;
pub mod client;
pub mod error;
mod http;
mod local;
pub mod open311;
pub mod requests;
mod rest;
pub mod timebank;
pub mod volunteer;
