"""The pages: templates in pages/, scripts in js/, styles, fonts, catalogues, the vendored client."""
