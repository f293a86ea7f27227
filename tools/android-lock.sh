#!/usr/bin/env bash
# Rewrites app/android-libraries.lock from the roots in app/pom.xml (android-maven-plugin's
# lock goal), then builds the APK with it. Run after changing an AndroidX or Kotlin version;
# commit the lock with the version change.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -U -pl android-maven-plugin,app -am package -DskipTests -Dandroid.lock.skip=false "$@"
