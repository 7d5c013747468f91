/** Response content codings beyond the JDK's gzip: {@link dev.tiledgateway.formats.encoding.ZstdEncoding}. */
package dev.tiledgateway.formats.encoding;
