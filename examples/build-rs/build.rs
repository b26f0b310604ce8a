//! Generates the GMI Cloud client from the repository's spec at build time (the prost-build shape), with two
//! options: `ImageType` is a strict enum (an unlisted value is a decoding error) and every type that can derives
//! `Eq` and `Hash`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    generator::Config::new()
        .spec("../../specs/gmicloud.yaml")
        .crate_name("gmicloud")
        .strict_enum("ImageType")
        .derive("Eq")
        .derive("Hash")
        .generate()?
        .write_to_out_dir()?;
    Ok(())
}
