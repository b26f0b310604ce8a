//! Every row of the OpenAPI 3.0.3 "Style Examples" table (§4.7.12.4), through the runtime's parameter encoder.
//!
//! The table's values: `color` is the string `"blue"`, the array `["blue", "black", "brown"]` or the object
//! `{"R": 100, "G": 200, "B": 150}`; "empty" is the empty string. Path styles (matrix, label, simple) are the text
//! of the `{color}` hole; query styles (form, spaceDelimited, pipeDelimited, deepObject) the query pairs joined with
//! `&`; `simple` is also checked as a header and `form` as a cookie.

use client_runtime::param::{self, Style};
use serde::Serialize;

/// The table's object, as a generated struct would be.
#[derive(Serialize)]
#[allow(non_snake_case)]
struct Rgb {
    R: u8,
    G: u8,
    B: u8,
}

const RGB: Rgb = Rgb { R: 100, G: 200, B: 150 };
const ARRAY: [&str; 3] = ["blue", "black", "brown"];

/// One row: style, explode, then empty, string, array and object (`None` where the table says n/a).
type Row = (Style, bool, Option<&'static str>, Option<&'static str>, Option<&'static str>, Option<&'static str>);

const TABLE: [Row; 11] = [
    (
        Style::Matrix,
        false,
        Some(";color"),
        Some(";color=blue"),
        Some(";color=blue,black,brown"),
        Some(";color=R,100,G,200,B,150"),
    ),
    (
        Style::Matrix,
        true,
        Some(";color"),
        Some(";color=blue"),
        Some(";color=blue;color=black;color=brown"),
        Some(";R=100;G=200;B=150"),
    ),
    (Style::Label, false, Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R.100.G.200.B.150")),
    (Style::Label, true, Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R=100.G=200.B=150")),
    (
        Style::Form,
        false,
        Some("color="),
        Some("color=blue"),
        Some("color=blue,black,brown"),
        Some("color=R,100,G,200,B,150"),
    ),
    (
        Style::Form,
        true,
        Some("color="),
        Some("color=blue"),
        Some("color=blue&color=black&color=brown"),
        Some("R=100&G=200&B=150"),
    ),
    (Style::Simple, false, None, Some("blue"), Some("blue,black,brown"), Some("R,100,G,200,B,150")),
    (Style::Simple, true, None, Some("blue"), Some("blue,black,brown"), Some("R=100,G=200,B=150")),
    (
        Style::SpaceDelimited,
        false,
        None,
        None,
        Some("color=blue%20black%20brown"),
        Some("color=R%20100%20G%20200%20B%20150"),
    ),
    (Style::PipeDelimited, false, None, None, Some("color=blue|black|brown"), Some("color=R|100|G|200|B|150")),
    (Style::DeepObject, true, None, None, None, Some("color[R]=100&color[G]=200&color[B]=150")),
];

fn is_path_style(style: Style) -> bool {
    matches!(style, Style::Matrix | Style::Label | Style::Simple)
}

fn encode<T: Serialize + ?Sized>(style: Style, explode: bool, value: &T) -> String {
    if is_path_style(style) {
        param::path("color", value, style, explode).unwrap()
    } else {
        let pairs = param::query("color", value, style, explode, false).unwrap();
        pairs.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&")
    }
}

#[test]
fn every_row_of_the_openapi_3_0_3_style_table() {
    let mut checked = 0;
    for (style, explode, empty, string, array, object) in TABLE {
        let context = format!("{style:?} explode={explode}");
        if let Some(expected) = empty {
            assert_eq!(encode(style, explode, ""), expected, "{context}, empty");
            checked += 1;
        }
        if let Some(expected) = string {
            assert_eq!(encode(style, explode, "blue"), expected, "{context}, string");
            checked += 1;
        }
        if let Some(expected) = array {
            assert_eq!(encode(style, explode, &ARRAY), expected, "{context}, array");
            assert_eq!(encode(style, explode, &ARRAY.to_vec()), expected, "{context}, Vec");
            checked += 1;
        }
        if let Some(expected) = object {
            assert_eq!(encode(style, explode, &RGB), expected, "{context}, struct");
            let json = serde_json::json!({"R": 100, "G": 200, "B": 150});
            assert_eq!(encode(style, explode, &json), expected, "{context}, JSON object");
            checked += 1;
        }
    }
    assert_eq!(checked, 35, "every non-n/a cell of the table");
}

#[test]
fn simple_style_headers_match_the_table() {
    for (style, explode, _, string, array, object) in TABLE.into_iter().filter(|row| row.0 == Style::Simple) {
        assert_eq!(param::header("X-Color", "blue", style, explode).unwrap().as_deref(), string);
        assert_eq!(param::header("X-Color", &ARRAY, style, explode).unwrap().as_deref(), array);
        assert_eq!(param::header("X-Color", &RGB, style, explode).unwrap().as_deref(), object);
    }
}

#[test]
fn form_style_cookies_match_the_table() {
    let pairs = |value: &dyn erased::Value, explode: bool| {
        value.cookie(explode).into_iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>()
    };
    assert_eq!(pairs(&"blue", false), ["color=blue"]);
    assert_eq!(pairs(&"", true), ["color="]);
    assert_eq!(pairs(&ARRAY, false), ["color=blue,black,brown"]);
    assert_eq!(pairs(&ARRAY, true), ["color=blue", "color=black", "color=brown"]);
    assert_eq!(pairs(&RGB, false), ["color=R,100,G,200,B,150"]);
    assert_eq!(pairs(&RGB, true), ["R=100", "G=200", "B=150"]);
}

/// Lets one closure take values of different types.
mod erased {
    use super::*;

    pub trait Value {
        fn cookie(&self, explode: bool) -> Vec<(String, String)>;
    }

    impl<T: Serialize + ?Sized> Value for T {
        fn cookie(&self, explode: bool) -> Vec<(String, String)> {
            param::cookie("color", self, Style::Form, explode).unwrap()
        }
    }
}

#[test]
fn exploded_space_and_pipe_delimited_are_form_exploded() {
    for style in [Style::SpaceDelimited, Style::PipeDelimited] {
        assert_eq!(encode(style, true, &ARRAY), "color=blue&color=black&color=brown");
        assert_eq!(encode(style, true, &RGB), "R=100&G=200&B=150");
    }
}

#[test]
fn empty_arrays_and_objects() {
    let empty: [&str; 0] = [];
    // RFC 6570: an empty list is undefined, so a query, header or cookie gets nothing...
    assert_eq!(encode(Style::Form, false, &empty), "");
    assert_eq!(param::header("X-Color", &empty, Style::Simple, false).unwrap(), None);
    assert!(param::cookie("color", &empty, Style::Form, true).unwrap().is_empty());
    // ...while a path segment keeps the style's empty form, as for an empty string.
    assert_eq!(encode(Style::Matrix, true, &empty), ";color");
    assert_eq!(encode(Style::Label, false, &empty), ".");
    assert_eq!(encode(Style::Simple, false, &empty), "");
}

#[test]
fn json_content_is_json_text() {
    assert_eq!(
        param::path("color", &ARRAY, Style::Json, false).unwrap(),
        "%5B%22blue%22%2C%22black%22%2C%22brown%22%5D"
    );
    assert_eq!(
        param::query("color", &RGB, Style::Json, false, false).unwrap(),
        vec![("color".to_owned(), "%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D".to_owned())]
    );
    assert_eq!(
        param::header("X-Color", &RGB, Style::Json, false).unwrap().as_deref(),
        Some(r#"{"R":100,"G":200,"B":150}"#)
    );
}
