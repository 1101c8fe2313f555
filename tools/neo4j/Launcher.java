import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * A real Neo4j Community server for the kg test suite, started without Docker or a tarball
 * (neither is available here): the embedded DBMS with the Bolt and HTTP connectors enabled,
 * configured as a careful operator would: loopback only, auth on, LOAD CSV may not read local
 * files, no JMX, and the password comes from the environment (KG_NEO4J_PASSWORD), never from
 * the command line, which every local user can read in /proc.
 *
 * usage: KG_NEO4J_PASSWORD=... java -cp 'lib/*' Launcher.java HOME BOLT_PORT HTTP_PORT
 */
public class Launcher {
    /**
     * Extra settings in neo4j.conf form from the file KG_NEO4J_CONF names (the Browser's
     * post-connect command and remote-content allowlist, for `neo4j_server.py run`); none
     * when it is unset. The settings set below take precedence.
     */
    static Path extraConfig(Path home) throws java.io.IOException {
        String conf = System.getenv("KG_NEO4J_CONF");
        if (conf != null && !conf.isEmpty()) {
            return Path.of(conf);
        }
        Path none = home.toAbsolutePath().resolveSibling("kg-extra.conf");
        java.nio.file.Files.writeString(none, "");
        return none;
    }

    /**
     * The page cache in MiB: KG_NEO4J_PAGECACHE_MB, else 512. It was a fixed 64 MB, but a
     * 20,000-document graph is a 229 MB store (evidence arrays 98 MB, properties 65 MB,
     * strings 30 MB, indexes 33 MB), so the loads and questions on it kept evicting pages;
     * a user's server sizes its page cache from the machine's memory (Neo4j's default
     * heuristic), far above this. The cache is allocated as pages are used, so a small
     * test graph costs no more than before.
     */
    static long pageCacheMb() {
        String mb = System.getenv("KG_NEO4J_PAGECACHE_MB");
        return mb == null || mb.isEmpty() ? 512 : Long.parseLong(mb);
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int bolt = Integer.parseInt(args[1]);
        int http = Integer.parseInt(args[2]);
        String password = System.getenv("KG_NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("KG_NEO4J_PASSWORD is not set");
            System.exit(2);
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
            .loadPropertiesFromFile(extraConfig(home))
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", bolt))
            .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", bolt))
            .setConfig(HttpConnector.enabled, true)
            .setConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", http))
            .setConfig(HttpConnector.advertised_address, new SocketAddress("127.0.0.1", http))
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            .setConfig(GraphDatabaseSettings.allow_file_urls, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb()))
            .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
            .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));

        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        } catch (org.neo4j.graphdb.QueryExecutionException e) {
            // a restart on the same data: the password is already set
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                dbms.shutdown();
                throw e;
            }
        }
        System.out.println("KG-NEO4J-READY bolt=" + bolt + " http=" + http);
        System.out.flush();
        Thread.currentThread().join();
    }
}
