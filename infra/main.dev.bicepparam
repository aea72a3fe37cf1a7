// Development environment in the global cloud, with synthetic data only: real applicants'
// personal data must never reach it (PIPL art. 36 keeps it in China; see main.prod.bicepparam).
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastasia')
param hostingPlan = 'FlexConsumption'
param cosmosThroughputMode = 'Serverless'

// Comma-separated https origins of the portals, e.g. the local dev server and the test portal.
param portalOrigins = split(readEnvironmentVariable('ALI_PORTAL_ORIGINS', 'http://localhost:5173'), ',')

// The identity provider's issuer and this API's audience are tenant-specific: set them per environment.
param authIssuer = readEnvironmentVariable('ALI_AUTH_ISSUER')
param authAudience = readEnvironmentVariable('ALI_AUTH_AUDIENCE')

// A synthetic department so that the per-department subscription, filter and grant are exercised.
param departments = [
  {
    code: 'sample-department'
  }
]

param deployerPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

// Synthetic data only: nobody is texted from this environment.
param smsProvider = 'None'
