#!/usr/bin/env bash
# Checks that vae works as a library: installs the library modules (with their sources and javadoc
# jars, -Prelease) and vae-bom into a throwaway local repository, builds this project against them
# as a user's build would, runs it and checks that it printed a finite ELBO.
#
# Nothing is installed into the default local repository (~/.m2/repository), which may hold other
# builds of vae. The throwaway one, target/consumer-repo at the top of the checkout (or
# $VAE_CONSUMER_REPO), takes what else it needs from the default one, read as a file repository,
# so nothing already there is downloaded again; what is missing there comes from the repositories
# Maven is configured with. Arguments go to each Maven call: `examples/consumer/run.sh -o` runs
# offline once the default local repository holds every plugin the release build needs.
set -euo pipefail
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
repo="${VAE_CONSUMER_REPO:-$root/target/consumer-repo}"
seed="${VAE_SEED_REPO:-${HOME:-$(cd ~ && pwd)}/.m2/repository}"

mkdir -p "$repo"
rm -rf "$repo/dev/vae"   # the artifacts under test are always those built now
settings="$repo/seed-settings.xml"
cat > "$settings" <<XML
<settings>
  <profiles>
    <profile>
      <id>vae-seed</id>
      <repositories>
        <repository>
          <id>vae-seed</id>
          <url>file://$seed</url>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>vae-seed</id>
          <url>file://$seed</url>
          <snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>vae-seed</activeProfile>
  </activeProfiles>
</settings>
XML
# Global settings, so a user's own settings (proxies, mirrors) still apply; offline mode (-o) still
# reads the file repository.
maven=("$root/mvnw" -B -q -gs "$settings" "-Dmaven.repo.local=$repo" -Daether.offline.protocols=file "$@")

"${maven[@]}" -f "$root/pom.xml" install -Prelease -DskipTests \
  -pl vae-bom,vae-core,vae-backend-cpu,vae-likelihoods -am
# From its own directory, so Maven reads its .mvn/maven.config, as in a user's checkout.
(cd "$here" && "${maven[@]}" clean package)

export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
out=$(java -jar "$here/target/vae-consumer.jar" 2)
printf '%s\n' "$out"
if ! printf '%s\n' "$out" | grep -Eq '^epoch 2: ELBO -?[0-9]+\.[0-9]+ '; then
  echo "run.sh: the consumer printed no finite ELBO for epoch 2" >&2
  exit 1
fi
