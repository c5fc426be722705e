package dev.samsa.lin.models;

import dev.samsa.lin.Model;

/**
 * An etcd-style register with read, write and compare-and-set, starting absent (nil). An
 * output marked unknown (a timed-out or never-answered operation) constrains nothing; the
 * operation may still have taken effect, so its state change applies where it is linearized.
 */
public final class RegisterModel implements Model<Long, RegisterModel.Input, RegisterModel.Output> {

    /** The register's value before any write. */
    public static final long NIL = Long.MIN_VALUE;

    public enum Op {
        READ,
        WRITE,
        CAS
    }

    /** A read, a write of {@code arg1}, or a cas from {@code arg1} to {@code arg2}. */
    public record Input(Op op, long arg1, long arg2) {}

    /** {@code value} read; {@code ok} whether a cas applied; {@code unknown}: no usable answer. */
    public record Output(boolean ok, long value, boolean unknown) {
        public static final Output UNKNOWN = new Output(false, NIL, true);
    }

    @Override
    public Long init() {
        return NIL;
    }

    @Override
    public StepResult<Long> step(Long state, Input in, Output out) {
        long s = state;
        return switch (in.op()) {
            case READ -> out.unknown() || out.value() == s ? StepResult.ok(state) : StepResult.illegal();
            case WRITE -> StepResult.ok(in.arg1());
            case CAS -> {
                boolean applies = in.arg1() == s;
                if (out.unknown() || applies == out.ok()) {
                    yield StepResult.ok(applies ? in.arg2() : state);
                }
                yield StepResult.illegal();
            }
        };
    }

    @Override
    public String describeOperation(Input in, Output out) {
        String result = out.unknown() ? "?" : switch (in.op()) {
            case READ -> show(out.value());
            case WRITE -> "ok";
            case CAS -> out.ok() ? "ok" : "fail";
        };
        return switch (in.op()) {
            case READ -> "read() -> " + result;
            case WRITE -> "write(" + in.arg1() + ") -> " + result;
            case CAS -> "cas(" + in.arg1() + ", " + in.arg2() + ") -> " + result;
        };
    }

    @Override
    public String describeState(Long state) {
        return show(state);
    }

    private static String show(long v) {
        return v == NIL ? "nil" : Long.toString(v);
    }
}
