// Parameters for main.bicep. Values that differ per partnership come from the environment of the
// shell that deploys, so nothing secret or tenant-specific is committed:
//   export OPERATOR_PRINCIPAL_ID=<your object id>
//   az deployment group create -g <resource group> -f infra/main.bicep -p infra/main.bicepparam
// See infra/README.md for the whole sequence.
using './main.bicep'

param namePrefix = 'socprofiles'
param operatorPrincipalIds = [readEnvironmentVariable('OPERATOR_PRINCIPAL_ID')]
param bootstrapAdminObjectIds = []
param appServiceSku = 'P1v3'
param appMinInstances = 3
param cosmosMaxThroughput = 10000
param zoneRedundant = true
param privateNetworking = false
param botSku = 'F0'
param logRetentionDays = 90
param demoData = 'off'
// Empty until the app is in the catalogue and the Graph permission is consented (infra/README.md, step 7).
param teamsAppCatalogId = readEnvironmentVariable('TEAMS_APP_CATALOG_ID', '')
