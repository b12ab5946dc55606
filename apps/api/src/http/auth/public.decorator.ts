import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

export const IS_PUBLIC = Symbol('isPublic');

/**
 * Lets a route or a controller be called without a bearer token (health, status page, the payment webhook).
 * The OpenAPI document shows it as needing no authentication (an empty security requirement).
 */
export const Public = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));
