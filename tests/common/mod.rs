//! Shared test harnesses (each test file uses what it needs).
#![allow(dead_code)]

pub mod moto;
