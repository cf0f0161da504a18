//! What the value-level transforms return: the new object, the change notes and the issues
//! (refusals and warnings), with paths relative to the object.

use serde_json::Value;

use crate::rules::{Rule, Severity};

use super::ChangeKind;

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: ChangeKind,
    pub path: String,
    pub message: String,
    pub from: Option<Value>,
    pub to: Option<Value>,
}

impl Note {
    pub fn new(kind: ChangeKind, path: impl Into<String>, message: impl Into<String>) -> Note {
        Note { kind, path: path.into(), message: message.into(), from: None, to: None }
    }
    pub fn from(mut self, v: &Value) -> Note {
        self.from = Some(v.clone());
        self
    }
    pub fn to(mut self, v: &Value) -> Note {
        self.to = Some(v.clone());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub rule: Rule,
    pub path: String,
    pub message: String,
}

impl Issue {
    pub fn new(rule: Rule, path: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue { rule, path: path.into(), message: message.into() }
    }
}

/// The result of transforming one object.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub value: Value,
    pub notes: Vec<Note>,
    pub issues: Vec<Issue>,
}

impl Outcome {
    /// True when an issue is an error: the object must be left unchanged.
    pub fn refused(&self) -> bool {
        self.issues.iter().any(|i| i.rule.severity() == Severity::Error)
    }
}
