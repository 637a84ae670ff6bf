//! Thin adapters over browser APIs: reading files in chunks, HTTP, randomness, time,
//! page metadata. Nothing outside this module touches `web_sys` for I/O.

pub mod browser;
pub mod download;
pub mod file_reader;
pub mod gateway;
pub mod hash_worker;
pub mod host;
pub mod http;
pub mod locks;
pub mod md5;
pub mod storage;
pub mod warm_up;
pub mod zuora;
