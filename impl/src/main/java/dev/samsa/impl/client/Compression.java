package dev.samsa.impl.client;

/**
 * The size a batch has after {@code compression.type}. Simplified: {@code impl} may not depend
 * on codec libraries, so the compressed size is modelled as the uncompressed record bytes times a
 * fixed ratio per codec (none 1.0, gzip 0.5, lz4 0.6, zstd 0.45); the 61-byte batch header stays
 * uncompressed, as in Kafka's v2 format. {@code batch.size} keeps counting uncompressed bytes, as
 * Kafka's size estimate does.
 */
final class Compression {

    private Compression() {}

    static double ratio(String codec) {
        return switch (codec) {
            case "none" -> 1.0;
            case "gzip" -> 0.5;
            case "lz4" -> 0.6;
            case "zstd" -> 0.45;
            default -> throw new IllegalArgumentException("unknown compression.type " + codec);
        };
    }

    /** Wire size of a batch whose header plus records take {@code uncompressedBytes}. */
    static int sizeBytes(String codec, int uncompressedBytes) {
        int header = dev.samsa.impl.log.RecordBatch.HEADER_BYTES;
        int body = uncompressedBytes - header;
        if (body < 0) {
            throw new IllegalStateException("a batch is at least its header: " + uncompressedBytes);
        }
        return header + (int) Math.ceil(body * ratio(codec));
    }
}
