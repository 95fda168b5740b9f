package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code READONLY} reply makes a Sentinel store ask the sentinels again (the primary it writes to may be a replica
 * now): recognised as the command's own reply and as a script's, in the forms Redis 6 and 7 give it.
 */
class ReadOnlyReplyRecognisedTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "READONLY You can't write against a read only replica.",
            "READONLY You can't write against a read only replica. script: f_0123, on @user_script:1.",
            "ERR Error running script (call to f_0123): @user_script:1: @user_script: 1:"
                    + " -READONLY You can't write against a read only replica."})
    void readOnlyAnswerOfAReplicaIsRecognised(String reply) {
        assertTrue(RedisStore.isReadOnly(reply), reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "OOM command not allowed when used memory > 'maxmemory'.",
            "WRONGTYPE Operation against a key holding the wrong kind of value",
            "ERR unknown command 'READONLY'",
            "LOADING Redis is loading the dataset in memory"})
    void otherRepliesAreNot(String reply) {
        assertFalse(RedisStore.isReadOnly(reply), reply);
    }

    @Test
    void noMessageIsNot() {
        assertFalse(RedisStore.isReadOnly(null));
    }
}
