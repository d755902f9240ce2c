//! Reading a model file for any command, with a hint of what to do when there is none.

use std::path::Path;

use relulens::model::Model;

/// The model at `path` (ours, or a PyTorch Sequential state dict in safetensors).
pub fn read(path: &Path) -> anyhow::Result<Model> {
    match relulens::io::load(path) {
        Ok(model) => Ok(model),
        Err(relulens::Error::Io {
            kind: std::io::ErrorKind::NotFound,
            ..
        }) => {
            anyhow::bail!(
                "no model file at {}: make one with `relulens train --out {}`, or give a PyTorch \
                 nn.Sequential state dict saved as safetensors",
                path.display(),
                path.display()
            )
        }
        Err(err) => Err(err.into()),
    }
}
