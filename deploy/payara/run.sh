#!/bin/sh
# Starts Pons on Payara Micro, in the foreground, on PostgreSQL and ActiveMQ Artemis (deploy/README.md, "Payara Micro").
#
#   mvn -Ppayara -DskipTests package      # target/pons.war and target/payara/ (Payara Micro, libraries, Artemis RAR)
#   DB_URL=... DB_PASSWORD=... ARTEMIS_HOST=... ARTEMIS_PASSWORD=... PONS_...=... deploy/payara/run.sh
#
# Settings come from the environment: the database and broker (DB_*, ARTEMIS_*) are read by
# post-boot-commands.asadmin next to this script, Pons' own (PONS_*) by the application (MicroProfile Config).
# Further arguments go to Payara Micro as they are. Variables of this script:
#   PAYARA_DIST   the folder the build assembled (default: target/payara of this checkout)
#   PONS_WAR      the application (default: target/pons.war of this checkout)
#   PAYARA_ROOT   Payara's instance folder: configuration, logs, transaction log (default: $PAYARA_DIST/instance).
#                 Keep it on persistent storage: the transaction log resolves in-doubt XA transactions after a crash.
#   HTTP_PORT     HTTP listener (default 8080)
#   JAVA          java executable (default: java on the PATH);  JAVA_OPTS: JVM options (default -Xmx1g)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dist=${PAYARA_DIST:-$here/../../target/payara}
war=${PONS_WAR:-$here/../../target/pons.war}
root=${PAYARA_ROOT:-$dist/instance}

for f in "$dist/payara-micro.jar" "$dist/artemis-rar.rar" "$war"; do
    if [ ! -f "$f" ]; then
        echo "run.sh: $f is missing; build it first: mvn -Ppayara -DskipTests package" >&2
        exit 2
    fi
done
mkdir -p "$root"
# Payara keeps its configuration (domain.xml) and deployments in the root folder, and would run the post-boot
# commands again on top of them: their create-* fail on what exists, and changed settings (e.g. a queue name)
# would not apply. Start from a fresh configuration each time; keep the logs, which hold the transaction log.
rm -rf "$root/config" "$root/applications" "$root/generated"

# --nocluster, --disablephonehome: no Hazelcast discovery traffic and no usage reports; one instance is one JVM.
# --addlibs: Hibernate ORM (the WAR's JPA provider; Payara's own is EclipseLink) and the PostgreSQL driver.
# hibernate.transaction.jta.platform: Hibernate does not recognise Payara's transaction manager by itself.

# shellcheck disable=SC2086
exec "${JAVA:-java}" ${JAVA_OPTS:--Xmx1g} \
    -Dpons.payara.rar="$dist/artemis-rar.rar" \
    -Dhibernate.transaction.jta.platform=org.hibernate.engine.transaction.jta.platform.internal.SunOneJtaPlatform \
    -jar "$dist/payara-micro.jar" \
    --nocluster --disablephonehome \
    --rootdir "$root" \
    --port "${HTTP_PORT:-8080}" \
    --addlibs "$dist/lib" \
    --prebootcommandfile "$here/pre-boot-commands.asadmin" \
    --postbootcommandfile "$here/post-boot-commands.asadmin" \
    --deploy "$war" --contextroot / \
    "$@"
