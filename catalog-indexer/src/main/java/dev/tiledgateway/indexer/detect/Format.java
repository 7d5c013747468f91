package dev.tiledgateway.indexer.detect;

/** The single-object formats the indexer recognises by content. */
public enum Format { PARQUET, CSV, TIFF }
