//! spiderendpoint: validate, normalize and convert Spiderpool `SpiderEndpoint` documents.
pub mod text;
pub mod yaml;
