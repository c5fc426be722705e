package dev.samsa.lin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.lin.models.KvModel;
import dev.samsa.lin.models.RegisterModel;
import dev.samsa.lin.models.RegisterModel.Input;
import dev.samsa.lin.models.RegisterModel.Op;
import dev.samsa.lin.models.RegisterModel.Output;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PropertiesTest {

    static final Duration LONG = Duration.ofMinutes(1);

    /** A sequential run of the register: each op's real effect, at time 10*i (its linearization point). */
    static List<Operation<Input, Output>> sequential(long seed, int n, int clients) {
        Random r = new Random(seed);
        List<Operation<Input, Output>> ops = new ArrayList<>();
        long value = RegisterModel.NIL;
        for (int i = 0; i < n; i++) {
            long at = 10L * i + 5;
            Input in;
            Output out;
            switch (r.nextInt(3)) {
                case 0 -> {
                    in = new Input(Op.READ, 0, 0);
                    out = new Output(true, value, false);
                }
                case 1 -> {
                    in = new Input(Op.WRITE, r.nextInt(5), 0);
                    out = new Output(true, RegisterModel.NIL, false);
                    value = in.arg1();
                }
                default -> {
                    in = new Input(Op.CAS, r.nextInt(5), r.nextInt(5));
                    boolean applies = in.arg1() == value;
                    out = new Output(applies, RegisterModel.NIL, false);
                    if (applies) {
                        value = in.arg2();
                    }
                }
            }
            ops.add(new Operation<>(r.nextInt(clients), in, at, out, at));
        }
        return ops;
    }

    /** Stretches each interval randomly around its linearization point: it still contains it. */
    static List<Operation<Input, Output>> stretched(List<Operation<Input, Output>> ops, long seed) {
        Random r = new Random(seed);
        List<Operation<Input, Output>> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation<Input, Output> o = ops.get(i);
            long call = o.callTime() - r.nextInt(40);
            long ret = o.returnTime() + r.nextInt(40);
            out.add(new Operation<>(i, o.input(), call, o.output(), ret)); // one client per op: no per-client ordering to respect
        }
        return out;
    }

    @Property(tries = 200)
    void aSequentialExecutionWithOverlappingIntervalsIsLinearizable(@ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int n) {
        List<Operation<Input, Output>> h = stretched(sequential(seed, n, 3), seed ^ 1);
        assertThat(Linearizability.check(new RegisterModel(), h, LONG)).isEqualTo(CheckResult.OK);
    }

    @Property(tries = 200)
    void aReadOfANeverWrittenValueWithoutConcurrencyIsIllegal(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int n) {
        List<Operation<Input, Output>> h = new ArrayList<>(sequential(seed, n, 1));
        // calls and returns strictly ordered: no concurrency at all
        for (int i = 0; i < h.size(); i++) {
            Operation<Input, Output> o = h.get(i);
            h.set(i, new Operation<>(0, o.input(), 10L * i, o.output(), 10L * i + 1));
        }
        int victim = new Random(seed).nextInt(h.size());
        Operation<Input, Output> o = h.get(victim);
        h.set(victim, new Operation<>(0, new Input(Op.READ, 0, 0), o.callTime(), new Output(true, 999, false), o.returnTime()));
        assertThat(Linearizability.check(new RegisterModel(), h, LONG)).isEqualTo(CheckResult.ILLEGAL);
    }

    @Property(tries = 100)
    void shufflingTheInputListNeverChangesTheVerdict(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int n) {
        List<Operation<Input, Output>> h = stretched(sequential(seed, n, 3), seed ^ 2);
        if (n > 0 && (seed & 1) == 0) { // half the time, break it: a read of a value never written
            Operation<Input, Output> o = h.get(0);
            h.set(0, new Operation<>(o.clientId(), new Input(Op.READ, 0, 0), o.callTime(), new Output(true, 777, false), o.returnTime()));
        }
        CheckResult before = Linearizability.check(new RegisterModel(), h, LONG);
        List<Operation<Input, Output>> shuffled = new ArrayList<>(h);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(Linearizability.check(new RegisterModel(), shuffled, LONG)).isEqualTo(before);
    }

    @Property(tries = 50)
    void kvHistoriesPartitionedByKeyAgreeWithTheUnpartitionedCheck(@ForAll long seed) {
        Random r = new Random(seed);
        List<Operation<KvModel.Input, KvModel.Output>> h = new ArrayList<>();
        java.util.TreeMap<String, String> state = new java.util.TreeMap<>();
        for (int i = 0; i < 30; i++) {
            String key = "k" + r.nextInt(3);
            KvModel.Input in = switch (r.nextInt(3)) {
                case 0 -> new KvModel.Input(KvModel.Op.GET, key, "");
                case 1 -> new KvModel.Input(KvModel.Op.PUT, key, "v" + i);
                default -> new KvModel.Input(KvModel.Op.APPEND, key, "a" + i);
            };
            String cur = state.getOrDefault(key, "");
            String read = in.op() == KvModel.Op.GET ? (r.nextInt(10) == 0 ? "bogus" : cur) : "";
            if (in.op() == KvModel.Op.PUT) {
                state.put(key, in.value());
            } else if (in.op() == KvModel.Op.APPEND) {
                state.put(key, cur + in.value());
            }
            long at = 10L * i;
            h.add(new Operation<>(i, in, at - r.nextInt(15), KvModel.Output.of(read), at + r.nextInt(15)));
        }
        Model<String, KvModel.Input, KvModel.Output> whole = new Model<>() {
            @Override
            public String init() {
                return "";
            }

            @Override
            public StepResult<String> step(String s, KvModel.Input in, KvModel.Output out) {
                throw new UnsupportedOperationException();
            }
        };
        // partitioned (the model's own partitioning) vs one partition per key checked one by one
        CheckResult partitioned = Linearizability.check(new KvModel(), h, LONG);
        CheckResult byHand = CheckResult.OK;
        for (List<Operation<KvModel.Input, KvModel.Output>> part : new KvModel().partition(h)) {
            if (Linearizability.check(new KvModel(), part, LONG) == CheckResult.ILLEGAL) {
                byHand = CheckResult.ILLEGAL;
            }
        }
        assertThat(whole.init()).isEmpty();
        assertThat(partitioned).isEqualTo(byHand);
    }
}
