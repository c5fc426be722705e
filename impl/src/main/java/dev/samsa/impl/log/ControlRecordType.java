package dev.samsa.impl.log;

/**
 * The type of a control record (Kafka's {@code ControlRecordType}), with Kafka's type codes. A
 * control record's key is two 16-bit fields, version 0 and the type, so samsa's string key is
 * those four bytes as chars: a user record may carry the same key bytes (KAFKA-14055).
 */
public enum ControlRecordType {
    ABORT((short) 0),
    COMMIT((short) 1);

    private final short type;

    ControlRecordType(short type) {
        this.type = type;
    }

    public short type() {
        return type;
    }

    /** The control record's key: version 0 and the type, big-endian, one char per byte. */
    public String recordKey() {
        return new String(new char[] {0, 0, (char) ((type >> 8) & 0xFF), (char) (type & 0xFF)});
    }

    /** The type a control record key names; null for a key that is not a control key. */
    public static ControlRecordType fromRecordKey(String key) {
        for (ControlRecordType t : values()) {
            if (t.recordKey().equals(key)) {
                return t;
            }
        }
        return null;
    }
}
