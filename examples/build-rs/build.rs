//! Generates the GMI Cloud client from the repository's spec at build time (the prost-build shape).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    generator::Config::new().spec("../../specs/gmicloud.yaml").crate_name("gmicloud").generate()?.write_to_out_dir()?;
    Ok(())
}
