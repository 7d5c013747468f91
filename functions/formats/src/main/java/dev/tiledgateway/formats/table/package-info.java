/**
 * Tables: Parquet and CSV readers behind {@link dev.tiledgateway.core.table.TableReader}, Arrow payloads
 * ({@link dev.tiledgateway.formats.table.TablePayload}), and the {@code table} serializers.
 *
 * <h2>Partitions</h2>
 * A Parquet data source is one partition per file: a single-file asset is one partition whatever its row groups
 * (as upstream Tiled's {@code ParquetDatasetAdapter} and dask's {@code read_parquet} give for files below dask's
 * block size), several file assets are one partition each in asset order, and a folder asset is one partition per
 * {@code *.parquet} file in name order ({@code _}/{@code .}-prefixed names such as {@code _SUCCESS} ignored).
 * Per-row-group partitions were rejected: a catalog structure written by upstream (npartitions = files) would then
 * disagree with what this reader serves. A CSV data source is one partition.
 *
 * <h2>Types</h2>
 * The Arrow schema is the one pyarrow stored in the file ({@code ARROW:schema}: time zones, dictionaries,
 * large strings, pandas metadata) with dates, times and timestamps in the unit the Parquet column stores, which
 * is how pyarrow reads a file back (timestamp[s] comes back as ms); without it, types follow the Parquet logical
 * types as pyarrow maps them. Nested columns (struct, list, map) are refused as corrupt data (422).
 * Columns starting with {@code _} are neither listed nor served; pandas index columns are served (for
 * {@code read_pandas}) but not listed.
 *
 * <h2>Library choice, by measurement</h2>
 * Candidates read the same fixture ({@code types.parquet}, 7 kB, snappy, 25 columns) in a fresh JVM (Temurin 25,
 * the build JDK; no JDK 21 here): open it and read one partition (all columns) into memory. Medians of 15–21
 * interleaved runs per candidate, repeated twice, on a 2-core machine shared with other builds (load average 2–6,
 * so the figures are noisy; the ranking never changed). "Added" excludes zstd-jni, which this module already ships.
 * <table>
 *   <caption>Parquet reader candidates</caption>
 *   <tr><th>candidate</th><th>jars added</th><th>wall / CPU, default JIT</th><th>wall / CPU, C1 only</th></tr>
 *   <tr><td>hardwood-core 1.0.1.Final + snappy-java 1.1.10.8</td><td>2 jars, 3.1 MB (0.66 + 2.45)</td>
 *       <td>0.90–0.91 s / 0.70–0.75 s</td><td>0.55–0.57 s / 0.49–0.52 s</td></tr>
 *   <tr><td>parquet-hadoop 1.18.1 without Hadoop: LocalInputFile, a hand-written codec factory and 9 stub
 *       {@code org.apache.hadoop} classes (Configuration, Path, PathFilter, ZlibCompressor.CompressionLevel,
 *       Job, JobContext, InputFormat, FileInputFormat, RecordReader)</td><td>12 jars, 13.3 MB</td>
 *       <td>1.09–1.23 s / 0.91–0.92 s</td><td>0.61–0.76 s / 0.58–0.65 s</td></tr>
 *   <tr><td>parquet-hadoop 1.18.1 + hadoop-common 3.5.0 + hadoop-mapreduce-client-core 3.5.0 (3.4.x fails on
 *       JDK 24+: {@code Subject.getSubject}), HadoopInputFile</td><td>152 jars, 85.5 MB</td>
 *       <td>3.04–3.17 s / 2.23–2.26 s</td><td>1.32–1.58 s / 1.27–1.42 s</td></tr>
 *   <tr><td>(JVM doing nothing but reading the file)</td><td>–</td><td>0.09–0.11 s / 0.05–0.06 s</td>
 *       <td>0.07 s / 0.05 s</td></tr>
 * </table>
 * hardwood is the smallest, the fastest to start, Hadoop-free as published (parquet-java needs shim classes in
 * Hadoop's packages), reads every fixture (all integer widths, unsigned, floats, bool, strings, binary, timestamps in
 * every unit with and without zones, dates, decimals, dictionaries, INT96, v1 and v2 pages, none/snappy/gzip/zstd,
 * several row groups) and reads columns in batches, not records. About 250 ms of its cold start is the JDK
 * initialising JFR for its event classes. It cannot write, so {@code application/x-parquet} output is this package's
 * own small writer ({@code ParquetFileWriter}: PLAIN pages, zstd), checked by
 * pyarrow. Apache POI for xlsx (poi-ooxml 5.5.1: 13 jars, 19.7 MB) was rejected for a hand-written workbook.
 * Arrow Java 19.0.0 (arrow-vector, arrow-memory-unsafe) adds 2.5 MB beside the Jackson that core already has.
 * The whole path here, {@code ParquetTableReader.open} then {@code readPartition} into Arrow, cold: 0.55–0.9 s wall
 * with C1 only, 0.65–1.5 s with the default JIT (its Arrow classes and the Jackson that Arrow's Schema initialises
 * account for the difference to hardwood alone).
 */
package dev.tiledgateway.formats.table;
