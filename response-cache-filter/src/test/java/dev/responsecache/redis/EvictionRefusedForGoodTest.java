package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which error replies end the replay of an eviction with "every entry": the replies below are Redis's own (6.2 wraps
 * a script's error, with a dash for most, 7 sends it as it is). A reply of a Redis that cannot write now, read as
 * permanent, evicted every entry of every instance for a fault that passes.
 */
class EvictionRefusedForGoodTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "WRONGTYPE Operation against a key holding the wrong kind of value",
            "ERR Error running script (call to f_0123456789abcdef0123456789abcdef01234567): @user_script:1:"
                    + " WRONGTYPE Operation against a key holding the wrong kind of value",
            "ERR Error running script (call to f_0123): @user_script:1: @user_script: 1:"
                    + " -WRONGTYPE Operation against a key holding the wrong kind of value"})
    void wrongTypeIsRefusedForGood(String reply) {
        assertTrue(RedisStore.refusedForGood(reply), reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ERR Error running script (call to f_0123): @user_script:1: @user_script: 1:"
                    + " -READONLY You can't write against a read only replica.",
            "ERR Error running script (call to f_0123): @user_script:1: @user_script: 1:"
                    + " -OOM command not allowed when used memory > 'maxmemory'.",
            "ERR Error running script (call to f_0123): @user_script:1: @user_script: 1:"
                    + " -MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist",
            "READONLY You can't write against a read only replica. script: f_0123, on @user_script:1.",
            "OOM command not allowed when used memory > 'maxmemory'. script: f_0123, on @user_script:1.",
            "ERR max number of clients reached",
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.",
            "LOADING Redis is loading the dataset in memory",
            "CLUSTERDOWN The cluster is down",
            "ERR Error running script (call to f_0123): @user_script:12: user_script:12: attempt to compare nil"})
    void everyOtherReplyIsRetried(String reply) {
        assertFalse(RedisStore.refusedForGood(reply), reply);
    }
}
