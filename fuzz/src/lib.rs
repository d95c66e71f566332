//! What the fuzz targets share: the input format ([`Script`]), a comparable
//! view of what a decoder reports ([`Output`]), and an independent reference
//! model of the WHATWG parser ([`Model`]) to check the decoder against.
#![forbid(unsafe_code)]

mod model;
mod output;
mod script;

pub use model::Model;
pub use output::{Output, drain, without_extras};
pub use script::{Script, Step};
