//! What tests and benchmarks need around the app: process groups, a private D-Bus session (with a real
//! Secret Service when asked), /proc
//! readings and, with the `window` feature, the real window under Xvfb driven over WebDriver.
#![cfg(unix)]

pub mod bus;
pub mod keyring;
pub mod process;
pub mod procfs;

#[cfg(feature = "window")]
pub mod display;
#[cfg(feature = "window")]
pub mod notifications;
#[cfg(feature = "window")]
pub mod tray;
#[cfg(feature = "window")]
pub mod webdriver;
