//! Behaviour tests of the generated clients, against real HTTP servers on 127.0.0.1 (wiremock, and Prism for
//! the specs' own validation). One test binary for all clients to save link time; one module per client.

#[macro_use]
mod common;

mod digitalocean;
mod gmicloud;
mod nebulablock;
mod prism;
mod rackspace;
mod yandex;
